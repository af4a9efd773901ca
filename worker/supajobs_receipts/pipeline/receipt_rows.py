"""Rows the receipts RPCs return, and ReceiptRow -> ReceiptRecord (the domain view)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from supajobs_receipts.organize import ReceiptRecord


class ReceiptRow(BaseModel):
    """One row of receipts.receipts (the current state: the latest version's fields)."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    id: UUID
    sha256: str
    stored_path: str
    original_name: str
    content_type: str
    source: str
    message_id: str | None = None
    received_at: dt.datetime
    status: str
    receipt_date: dt.date | None = None
    total: int | None = None
    tax: int | None = None
    tax_rate: int | None = None
    vendor: str | None = None
    invoice_number: str | None = None
    category: str | None = None
    confidence: dict[str, float] = {}
    needs_review: bool = False
    review_reasons: list[str] = []
    read_source: str | None = None
    duplicate_of: UUID | None = None
    duplicate_reason: str | None = None
    file_deleted: bool = False  # by the clean-up of before 2026-12, which deleted files
    version: int = 0
    updated_at: dt.datetime | None = None

    def record(self) -> ReceiptRecord:
        """The domain view the organize, dedup, report and backup code consumes."""
        return ReceiptRecord(
            id=str(self.id), sha256=self.sha256, stored_path=self.stored_path,
            original_name=self.original_name, content_type=self.content_type,
            date=self.receipt_date, total=self.total, tax=self.tax,
            tax_rate=self.tax_rate if self.tax_rate in (8, 10) else None,  # type: ignore[arg-type]
            vendor=self.vendor, invoice_number=self.invoice_number,
            needs_review=self.needs_review, received_at=self.received_at,
            category=self.category)


class BackupRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")
    id: int
    path: str
    sha256: str
    members: int
    bytes: int


class PendingDuplicate(BaseModel):
    """A suggested duplicate waiting for a person (receipts.pending_duplicates)."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    suggestion_id: int
    reason: str
    suggested_at: dt.datetime
    receipt_id: UUID
    duplicate_of: UUID
    receipt_date: dt.date | None = None
    total: int | None = None
    vendor: str | None = None
    original_name: str
    stored_path: str
    kept_original_name: str
    kept_stored_path: str
    received_at: dt.datetime
    kept_received_at: dt.datetime


class DecisionRow(BaseModel):
    """A person's answer to a duplicate suggestion (receipts.decide_duplicate)."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    suggestion_id: int
    decision: str
    decided_by: str
    decided_at: dt.datetime
    note: str | None = None


class CopyRow(BaseModel):
    """A byte-identical arrival recorded against its original (receipts.list_copies)."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    id: int
    receipt_id: UUID
    source: str
    message_id: str | None = None
    original_name: str
    received_at: dt.datetime
    recorded_at: dt.datetime
    reason: str


# How the commands show receipts in a table.
RECEIPT_COLUMNS = ["receipt_date", "total", "vendor", "invoice_number", "status", "stored_path",
                   "id"]
