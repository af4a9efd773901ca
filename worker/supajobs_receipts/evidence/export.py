"""Writing the export a tax office may ask for (ダウンロードの求め): the originals of a
period, an index a person can open, and the history behind each receipt."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from supajobs_receipts.evidence.chain import utc_text
from supajobs_receipts.evidence.export_format import (
    COLUMNS,
    FILES,
    FORMAT,
    HISTORY,
    INDEX,
    MANIFEST,
    ExportManifest,
    ExportMember,
)
from supajobs_receipts.evidence.history import HistoryRow
from supajobs_receipts.evidence.names import export_names
from supajobs_receipts.evidence.period import Period
from supajobs_receipts.storage import FileStore, StoredFileNotFoundError, sha256_hex


class ExportError(Exception):
    """The export could not be written; nothing was left at the target path."""


def _history_text(rows: Sequence[HistoryRow]) -> str:
    return " | ".join(f"v{r.version} {utc_text(r.changed_at)} {r.changed_by}: {r.change_reason}"
                      for r in rows)


def _index(receipts: Sequence[Sequence[HistoryRow]], names: Sequence[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for rows, name in zip(receipts, names, strict=True):
        last = rows[-1]
        writer.writerow([last.receipt_date.isoformat() if last.receipt_date else "",
                         "" if last.total is None else last.total, last.vendor or "",
                         last.invoice_number or "", FILES + name, last.sha256, last.status,
                         last.version, utc_text(last.changed_at), last.changed_by,
                         _history_text(rows), str(last.receipt_id)])
    return out.getvalue().encode("utf-8-sig")


def _members(receipts: Sequence[Sequence[HistoryRow]], store: FileStore) -> dict[str, bytes]:
    names = export_names([rows[-1] for rows in receipts])
    members = {INDEX: _index(receipts, names)}
    members[HISTORY] = "".join(r.model_dump_json() + "\n" for rows in receipts
                               for r in rows).encode()
    for rows, name in zip(receipts, names, strict=True):
        last = rows[-1]
        try:
            data = store.get(last.stored_path)
        except StoredFileNotFoundError:
            raise ExportError(f"receipt {last.receipt_id}: its file {last.stored_path!r} is "
                              "missing from the store (restore it from a backup first)") from None
        if sha256_hex(data) != last.sha256:
            raise ExportError(f"receipt {last.receipt_id}: {last.stored_path!r} does not match "
                              "its sha256; run `supajobs receipts verify`")
        members[FILES + name] = data
    return members


def write_export(receipts: Sequence[Sequence[HistoryRow]], store: FileStore, period: Period,
                 target: Path, *, now: dt.datetime | None = None) -> ExportManifest:
    """Write `target` (a new .zip) atomically; refuse to replace an existing file."""
    if target.exists():
        raise ExportError(f"{target} already exists; choose another name")
    members = _members(receipts, store)
    manifest = ExportManifest(
        format=FORMAT, period_start=period.start.isoformat(), period_end=period.end.isoformat(),
        created_at=utc_text(now or dt.datetime.now(dt.UTC)), receipts=len(receipts),
        versions=sum(len(rows) for rows in receipts),
        members=tuple(ExportMember(name=n, sha256=sha256_hex(d), size=len(d))
                      for n, d in sorted(members.items())))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".zip", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, manifest.model_dump_json(indent=1))
            for name, data in sorted(members.items()):
                zf.writestr(name, data)
        os.link(tmp, target)  # never replaces a file that appeared meanwhile
    except FileExistsError:
        raise ExportError(f"{target} already exists; choose another name") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return manifest
