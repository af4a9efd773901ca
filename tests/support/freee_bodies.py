"""Bodies freee accepts, for the fake freee's checks: written from freee's schema
(freee/freee-api-schema v2020_06_15/open-api-3/api-schema.json: `receiptCreateParams`,
`dealUpdateParams`, `dealCreateParams`), independently of the client's own models, strict
(`extra="forbid"`) so a field freee does not describe fails the test."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from support.freee_contract import ContractError

RECEIPT_FORM = {"company_id", "description", "receipt_metadatum_partner_name",
                "receipt_metadatum_issue_date", "receipt_metadatum_amount", "qualified_invoice",
                "document_type"}
RECEIPT_REQUIRED = {"company_id"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class DealUpdateDetail(_Strict):
    id: int | None = Field(default=None, ge=1)
    tax_code: int = Field(ge=0)
    account_item_id: int = Field(ge=1)
    amount: int
    item_id: int | None = None
    section_id: int | None = None
    partner_id: int | None = None
    tag_ids: list[int] | None = None
    segment_1_tag_id: int | None = None
    segment_2_tag_id: int | None = None
    segment_3_tag_id: int | None = None
    description: str | None = None
    vat: int | None = None


class DealUpdateParams(_Strict):
    issue_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    type: Literal["income", "expense"]
    company_id: int = Field(ge=1)
    due_date: str | None = None
    partner_id: int | None = Field(default=None, ge=1)
    partner_code: str | None = None
    ref_number: str | None = None
    details: list[DealUpdateDetail] = Field(max_length=100)
    receipt_ids: list[int] | None = None


class DealCreateDetail(_Strict):
    tax_code: int = Field(ge=0)
    account_item_id: int | None = None
    amount: int
    description: str | None = None
    vat: int | None = None


class DealCreatePayment(_Strict):
    amount: int
    from_walletable_id: int
    from_walletable_type: Literal["bank_account", "credit_card", "wallet",
                                  "private_account_item"]
    date: str


class DealCreateParams(_Strict):
    issue_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    type: Literal["income", "expense"]
    company_id: int = Field(ge=1)
    partner_id: int | None = None
    ref_number: str | None = None
    details: list[DealCreateDetail]
    payments: list[DealCreatePayment] | None = None
    receipt_ids: list[int] | None = None


def check_receipt_form(fields: dict[str, str]) -> None:
    unknown = set(fields) - RECEIPT_FORM
    if unknown:
        raise ContractError(f"POST /receipts: fields freee does not describe: {sorted(unknown)}")
    missing = RECEIPT_REQUIRED - set(fields)
    if missing:
        raise ContractError(f"POST /receipts: required fields missing: {sorted(missing)}")
    if len(fields.get("description", "")) > 255:
        raise ContractError("POST /receipts: description longer than 255 characters")
    for name, allowed in (("qualified_invoice", {"qualified", "not_qualified", "unselected"}),
                          ("document_type", {"receipt", "invoice", "other"})):
        if name in fields and fields[name] not in allowed:
            raise ContractError(f"POST /receipts: {name}={fields[name]!r} is not one of {allowed}")
