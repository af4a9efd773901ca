"""Builds ReceiptRecord values for the organize/dedup/report/backup unit tests."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

from supajobs_receipts.organize.records import ReceiptRecord


def make_receipt(n: int = 1, **fields: Any) -> ReceiptRecord:
    data = fields.pop("data", f"receipt-{n}".encode())
    values: dict[str, Any] = {
        "id": f"r{n}",
        "sha256": hashlib.sha256(data).hexdigest(),
        "stored_path": f"inbox/{hashlib.sha256(data).hexdigest()}.pdf",
        "original_name": f"receipt{n}.pdf",
        "content_type": "application/pdf",
        "date": date(2024, 6, 20),
        "total": 1234,
        "tax": 112,
        "tax_rate": 10,
        "vendor": "スターバックス",
        "invoice_number": None,
        "needs_review": False,
        "received_at": datetime(2024, 6, 21, 8, n % 60, tzinfo=UTC),
        "category": "会議費",
    }
    values.update(fields)
    return ReceiptRecord(**values)
