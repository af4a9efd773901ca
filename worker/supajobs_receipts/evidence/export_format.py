"""The layout of a ダウンロードの求め export (`supajobs receipts export`), shared by the
writer and the checker.

index.csv       one row per receipt: 取引年月日, 取引金額, 取引先, 登録番号, file, sha256,
                status, version, last change, history (UTF-8 with BOM, for Excel)
files/<name>    the original bytes, named YYYYMMDD_取引先_金額.ext (the 国税庁 example)
history.jsonl   every version of every exported receipt, with its chain hashes
manifest.json   the period, counts, and each member's sha256 and size
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

FORMAT = "supajobs-receipts-export/1"
INDEX = "index.csv"
HISTORY = "history.jsonl"
MANIFEST = "manifest.json"
FILES = "files/"
COLUMNS = ("取引年月日 date", "取引金額 amount", "取引先 vendor", "登録番号 registration_number",
           "ファイル file", "sha256", "状態 status", "版 version", "最終変更 changed_at",
           "変更者 changed_by", "履歴 history", "receipt_id")


class ExportMember(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    sha256: str
    size: int


class ExportManifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    format: str
    period_start: str
    period_end: str
    created_at: str
    receipts: int
    versions: int
    members: tuple[ExportMember, ...]
