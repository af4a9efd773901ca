"""File names in an export, after the 国税庁 example: 20221031_㈱国税商事_110000.pdf."""

from __future__ import annotations

from collections.abc import Sequence

from supajobs_receipts.evidence.history import HistoryRow
from supajobs_receipts.organize.naming import extension_for
from supajobs_receipts.organize.records import ReceiptRecord
from supajobs_receipts.organize.safe_names import safe_component

MAX_VENDOR_BYTES = 120


def export_name(row: HistoryRow) -> str:
    day = row.receipt_date.strftime("%Y%m%d") if row.receipt_date else "日付不明"
    amount = "金額不明" if row.total is None else str(row.total)
    vendor = safe_component(row.vendor or "", fallback="取引先不明", max_bytes=MAX_VENDOR_BYTES)
    record = ReceiptRecord(id=str(row.receipt_id), sha256=row.sha256, stored_path=row.stored_path,
                           original_name=row.original_name, content_type=row.content_type,
                           received_at=row.received_at)
    return f"{day}_{vendor}_{amount}.{extension_for(record)}"


def export_names(rows: Sequence[HistoryRow]) -> list[str]:
    """One unique name per receipt, in order; a second receipt with the same name gets _2."""
    taken: set[str] = set()
    names = []
    for row in rows:
        base = export_name(row)
        stem, _, ext = base.rpartition(".")
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{stem}_{n}.{ext}"
        taken.add(name)
        names.append(name)
    return names
