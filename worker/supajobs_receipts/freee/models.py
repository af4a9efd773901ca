"""What the client sends to and reads from freee, as pydantic models.

Written from freee's published schema (freee/freee-api-schema,
v2020_06_15/open-api-3/api-schema.json; that file is not copied here): the object each model
follows is named in its docstring. Read models keep fields they do not name (`extra="allow"`)
so a deal read and a deal written back can be compared whole.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MARKER = "supajobs:sha256:"  # how an upload names its file's sha256 in the description (メモ)
_INVOICE = re.compile(r"T\d{13}")


class UploadFields(BaseModel):
    """`receiptCreateParams` (POST /receipts, multipart/form-data) without company_id and the
    file. freee takes no registration number here (its OCR reads it); a T-number we read
    makes the file `qualified_invoice=qualified` and is kept in the description."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    issue_date: dt.date | None = None
    amount: int | None = Field(default=None, ge=0)
    partner_name: str | None = Field(default=None, max_length=255)
    invoice_number: str | None = None
    document_type: Literal["receipt", "invoice", "other"] = "receipt"

    def description(self) -> str:
        text = MARKER + self.sha256
        if self.invoice_number and _INVOICE.fullmatch(self.invoice_number):
            text += f" 登録番号:{self.invoice_number}"
        return text  # 100 characters at most (the schema allows 255)

    def form(self, company_id: int) -> dict[str, str]:
        data = {"company_id": str(company_id), "description": self.description(),
                "document_type": self.document_type,
                "qualified_invoice": "qualified" if self.invoice_number and _INVOICE.fullmatch(
                    self.invoice_number) else "unselected"}
        if self.issue_date is not None:
            data["receipt_metadatum_issue_date"] = self.issue_date.isoformat()
        if self.amount is not None:
            data["receipt_metadatum_amount"] = str(self.amount)
        if self.partner_name:
            data["receipt_metadatum_partner_name"] = self.partner_name
        return data


class FreeeReceipt(BaseModel):
    """`receiptResponse.receipt` (and one row of GET /receipts' `receipts`)."""

    model_config = ConfigDict(frozen=True, extra="allow")
    id: int
    status: Literal["confirmed", "deleted", "ignored"]
    description: str | None = None
    mime_type: str
    created_at: str

    def sha256(self) -> str | None:
        text = self.description or ""
        at = text.find(MARKER)
        return text[at + len(MARKER):at + len(MARKER) + 64] if at >= 0 else None


class DealDetail(BaseModel):
    """One of `dealResponse.deal.details`."""

    model_config = ConfigDict(frozen=True, extra="allow")
    id: int
    account_item_id: int
    tax_code: int
    amount: int
    vat: int
    entry_side: Literal["credit", "debit"]
    description: str | None = None
    partner_id: int | None = None
    item_id: int | None = None
    section_id: int | None = None
    tag_ids: list[int] = []
    segment_1_tag_id: int | None = None
    segment_2_tag_id: int | None = None
    segment_3_tag_id: int | None = None


class DealReceipt(BaseModel):
    """One of `dealResponse.deal.receipts` (a file already attached)."""

    model_config = ConfigDict(frozen=True, extra="allow")
    id: int


class FreeeDeal(BaseModel):
    """`dealResponse.deal` (GET/PUT /deals/{id}, and one row of GET /deals' `deals`)."""

    model_config = ConfigDict(frozen=True, extra="allow")
    id: int
    company_id: int
    issue_date: str
    type: Literal["income", "expense"]
    amount: int
    status: str
    due_date: str | None = None
    partner_id: int | None = None
    partner_code: str | None = None
    ref_number: str | None = None
    details: list[DealDetail] = []
    receipts: list[DealReceipt] = []

    def receipt_ids(self) -> list[int]:
        return [r.id for r in self.receipts]

    def update_params(self, receipt_ids: list[int]) -> dict[str, Any]:
        """`dealUpdateParams`: the deal as read, every line by its id (a line left out is
        deleted), and `receipt_ids` (which replaces the attached files)."""
        body: dict[str, Any] = {"company_id": self.company_id, "issue_date": self.issue_date,
                                "type": self.type, "receipt_ids": receipt_ids,
                                "details": [_detail_params(d) for d in self.details]}
        for name in ("due_date", "ref_number"):
            if getattr(self, name) is not None:
                body[name] = getattr(self, name)
        if self.partner_id is not None:  # partner_id and partner_code exclude each other
            body["partner_id"] = self.partner_id
        elif self.partner_code is not None:
            body["partner_code"] = self.partner_code
        return body


def _detail_params(detail: DealDetail) -> dict[str, Any]:
    """One of `dealUpdateParams.details`: its id keeps the line; partner_id is nullable there
    and sent as read, the other optional ids only when set."""
    line: dict[str, Any] = {"id": detail.id, "tax_code": detail.tax_code,
                            "account_item_id": detail.account_item_id, "amount": detail.amount,
                            "vat": detail.vat, "partner_id": detail.partner_id,
                            "tag_ids": list(detail.tag_ids)}
    if detail.description is not None:
        line["description"] = detail.description
    for name in ("item_id", "section_id", "segment_1_tag_id", "segment_2_tag_id",
                 "segment_3_tag_id"):
        if getattr(detail, name) is not None:
            line[name] = getattr(detail, name)
    return line
