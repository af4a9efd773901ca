"""One row of the receipts' history (receipts.receipt_history): a version and what its hash
covers, as either transport returns it (psycopg types or PostgREST's JSON strings)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class HistoryRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    seq: int = Field(ge=1)
    receipt_id: UUID
    version: int = Field(ge=1)
    sha256: str
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
    needs_review: bool
    review_reasons: list[str] = []
    read_source: str | None = None
    stored_path: str
    duplicate_of: UUID | None = None
    duplicate_reason: str | None = None
    changed_by: str
    changed_at: dt.datetime
    change_reason: str
    prev_hash: str
    hash: str
