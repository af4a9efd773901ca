"""The fields read from one receipt, with a confidence per field and the review flag."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

FieldName = Literal["date", "total", "tax", "vendor", "invoice_number"]
FIELD_NAMES: tuple[FieldName, ...] = ("date", "total", "tax", "vendor", "invoice_number")
REVIEW_THRESHOLD = 0.6
Source = Literal["pdf_text", "ocr", "html_text"]

T = TypeVar("T", covariant=True)


@dataclass(frozen=True)
class Found(Generic[T]):
    """One parser's answer: the value, how sure it is (0..1), and the line it came from."""

    value: T
    confidence: float
    line: int


class ReceiptFields(BaseModel):
    model_config = ConfigDict(frozen=True)

    date: dt.date | None = None
    total: int | None = Field(default=None, ge=0, description="yen, tax included")
    tax: int | None = Field(default=None, ge=0, description="consumption tax in yen")
    vendor: str | None = None
    invoice_number: str | None = Field(default=None, pattern=r"^T\d{13}$")
    confidence: dict[FieldName, float] = Field(default_factory=dict)
    needs_review: bool = True
    source: Source
    warnings: list[str] = Field(default_factory=list)
    text: str = Field(default="", description="the text the fields were parsed from")
