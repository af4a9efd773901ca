"""Writing receipts as a freee 取引インポート CSV (UTF-8, UTF-8 with BOM, or Shift_JIS)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from supajobs_receipts.organize.records import ReceiptRecord
from supajobs_receipts.report.freee_columns import (
    COLUMNS,
    DATE_FORMAT,
    EXPENSE,
    TAX_CATEGORY,
    TAX_INCLUSIVE,
)
from supajobs_receipts.report.freee_parse import FreeeCsvError, FreeeDeal, parse_freee_csv

Encoding = Literal["utf-8", "cp932"]
REPLACEMENT = "〓"  # the geta mark, the customary stand-in for a character cp932 lacks


@dataclass(frozen=True)
class FreeeOptions:
    encoding: Encoding = "utf-8"
    bom: bool = False  # Excel wants the BOM to read UTF-8; freee accepts either
    default_account: str = "雑費"
    accounts: Mapping[str, str] = field(default_factory=dict)  # category → 勘定科目
    payment_account: str | None = None  # e.g. 「現金」: marks the deals as paid that day
    default_tax_rate: Literal[10, 8] = 10  # for receipts whose rate was not read
    unencodable: Literal["error", "replace"] = "replace"


@dataclass(frozen=True)
class FreeeExport:
    content: bytes
    exported: tuple[str, ...]  # receipt ids, in row order
    skipped: tuple[tuple[str, str], ...]  # (receipt id, reason): these need a human


def _skip_reason(record: ReceiptRecord) -> str | None:
    if record.date is None:
        return "no date (発生日 is required)"
    if record.total is None:
        return "no total (金額 is required)"
    if record.total <= 0:
        return f"total {record.total} is not a positive expense"
    return None


def deal_row(record: ReceiptRecord, options: FreeeOptions) -> dict[str, str]:
    reason = _skip_reason(record)
    if reason or record.date is None or record.total is None:
        raise ValueError(f"receipt {record.id} cannot be a freee deal: {reason}")
    day = record.date.strftime(DATE_FORMAT)
    category = record.category or ""
    notes = [record.vendor or "", record.invoice_number or ""]
    if record.needs_review:
        notes.append("要確認")
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        {
            "収支区分": EXPENSE,
            "管理番号": record.id,
            "発生日": day,
            "取引先": record.vendor or "",
            "勘定科目": options.accounts.get(category, category or options.default_account),
            "税区分": TAX_CATEGORY[record.tax_rate or options.default_tax_rate],
            "金額": str(record.total),
            "税計算区分": TAX_INCLUSIVE,
            "税額": "" if record.tax is None else str(record.tax),
            "備考": " ".join(n for n in notes if n),
        }
    )
    if options.payment_account:
        row.update({"決済日": day, "決済口座": options.payment_account, "決済金額": row["金額"]})
    return row


def _encodable(value: str, options: FreeeOptions, where: str) -> str:
    if options.encoding == "utf-8":
        return value
    out = []
    for ch in value:
        try:
            ch.encode("cp932")
            out.append(ch)
        except UnicodeEncodeError:
            if options.unencodable == "error":
                raise FreeeCsvError(f"{where}: {ch!r} cannot be written in Shift_JIS") from None
            out.append(REPLACEMENT)
    return "".join(out)


def render_freee_csv(
    records: Sequence[ReceiptRecord], options: FreeeOptions | None = None
) -> FreeeExport:
    """One 支出 row per receipt with a date and a positive total, sorted by date then id."""
    options = options or FreeeOptions()
    skipped = [(r.id, reason) for r in records if (reason := _skip_reason(r))]
    usable = sorted((r for r in records if not _skip_reason(r)), key=lambda r: (r.date, r.id))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in usable:
        row = deal_row(record, options)
        writer.writerow(
            [_encodable(row[c], options, f"receipt {record.id}, column {c}") for c in COLUMNS]
        )
    encoding = "utf-8-sig" if options.encoding == "utf-8" and options.bom else options.encoding
    return FreeeExport(
        text.getvalue().encode(encoding),
        tuple(r.id for r in usable),
        tuple(sorted(skipped)),
    )


__all__ = [
    "FreeeCsvError",
    "FreeeDeal",
    "FreeeExport",
    "FreeeOptions",
    "deal_row",
    "parse_freee_csv",
    "render_freee_csv",
]
