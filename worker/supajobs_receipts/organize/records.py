"""The receipt record the organize/dedup/report/backup code consumes (one row of `receipts`)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class ReceiptRecord(BaseModel):
    """What the pipeline knows about one stored receipt file.

    Amounts are integer yen; `total` includes tax. Unknown fields are None, never guessed.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    stored_path: str = Field(min_length=1)
    original_name: str
    content_type: str
    date: dt.date | None = None
    total: int | None = None
    tax: int | None = None
    tax_rate: Literal[10, 8] | None = None
    vendor: str | None = None
    invoice_number: str | None = Field(default=None, pattern=r"^T\d{13}$")
    needs_review: bool = False
    # Aware so that records from different sources always compare (kept-one choice).
    received_at: AwareDatetime
    category: str | None = None
