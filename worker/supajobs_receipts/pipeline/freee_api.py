"""The receipts.freee_* RPCs (35-37_freee*.sql) over the SDK client: the upload ledger, the
sync's work list, matches and the review list."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from supajobs.client import AsyncJobsClient
from supajobs.functions import Returns, RpcFunction, register

_KEYS = {"receipt_id": "uuid", "company_id": "bigint"}
for _fn in (
    RpcFunction("freee_begin_upload", Returns.ONE, False, _KEYS, "receipts"),
    RpcFunction("freee_finish_upload", Returns.ONE, True,
                {**_KEYS, "freee_receipt_id": "bigint"}, "receipts"),
    RpcFunction("freee_fail_upload", Returns.MANY, True, _KEYS, "receipts"),
    RpcFunction("freee_work", Returns.MANY, True, {"company_id": "bigint", "since": "date"},
                "receipts"),
    RpcFunction("freee_record_match", Returns.SCALAR, True,
                {**_KEYS, "score": "real", "candidates": "bigint[]"}, "receipts"),
    RpcFunction("freee_mark_attached", Returns.ONE, True,
                {**_KEYS, "deal_id": "bigint", "score": "real"}, "receipts"),
    RpcFunction("freee_pending_matches", Returns.MANY, True, {}, "receipts"),
    RpcFunction("freee_decide_match", Returns.ONE, False,
                {"receipt_id": "uuid", "deal_id": "bigint"}, "receipts"),
    RpcFunction("freee_status", Returns.MANY, True, {}, "receipts"),
):
    register(_fn)


class UploadTicket(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")
    state: str
    freee_receipt_id: int | None = None
    attempts: int
    needs_lookup: bool
    first_attempt_at: dt.datetime


class WorkRow(BaseModel):
    """A receipt the sync still has something to do for (receipts.freee_work)."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    receipt_id: UUID
    sha256: str
    stored_path: str
    original_name: str
    content_type: str
    receipt_date: dt.date | None = None
    total: int | None = None
    vendor: str | None = None
    invoice_number: str | None = None
    upload_state: str | None = None
    freee_receipt_id: int | None = None
    match_status: str | None = None
    deal_id: int | None = None


class MatchRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")
    company_id: int
    receipt_id: UUID
    status: str
    deal_id: int | None = None
    candidates: list[int] = []
    score: float | None = None
    last_error: str | None = None
    decided_by: str | None = None
    matched_at: dt.datetime | None = None
    receipt_date: dt.date | None = None
    total: int | None = None
    vendor: str | None = None
    invoice_number: str | None = None
    original_name: str | None = None
    freee_receipt_id: int | None = None


class StatusRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")
    company_id: int
    kind: str
    state: str
    receipts: int


class FreeeLedger:
    def __init__(self, client: AsyncJobsClient, company_id: int) -> None:
        self.client = client
        self.company_id = company_id

    def _keys(self, receipt_id: UUID | str) -> dict[str, Any]:
        return {"company_id": self.company_id, "receipt_id": str(receipt_id)}

    async def begin_upload(self, receipt_id: UUID) -> UploadTicket:
        return await self.client.call_one("freee_begin_upload", self._keys(receipt_id),
                                          UploadTicket)

    async def finish_upload(self, receipt_id: UUID, freee_receipt_id: int) -> None:
        await self.client.call_raw("freee_finish_upload", {
            **self._keys(receipt_id), "freee_receipt_id": freee_receipt_id})

    async def fail_upload(self, receipt_id: UUID, error: str) -> None:
        await self.client.call_raw("freee_fail_upload", {**self._keys(receipt_id),
                                                         "error": error[:500]})

    async def work(self, since: dt.date) -> list[WorkRow]:
        return await self.client.call_many("freee_work", {"company_id": self.company_id,
                                                          "since": since}, WorkRow)

    async def record_match(self, receipt_id: UUID, status: str, score: float | None,
                           candidates: list[int], last_error: str | None = None) -> bool:
        written = await self.client.call_raw("freee_record_match", {
            **self._keys(receipt_id), "status": status, "score": score,
            "candidates": candidates, "last_error": last_error})
        return written is True

    async def mark_attached(self, receipt_id: UUID, deal_id: int,
                            score: float | None = None) -> None:
        await self.client.call_raw("freee_mark_attached", {
            **self._keys(receipt_id), "deal_id": deal_id, "score": score})


async def pending_matches(client: AsyncJobsClient) -> list[MatchRow]:
    return await client.call_many("freee_pending_matches", {}, MatchRow)


async def decide_match(client: AsyncJobsClient, receipt_id: str, decision: str,
                       decided_by: str, deal_id: int | None = None,
                       note: str | None = None) -> MatchRow:
    args: dict[str, Any] = {"receipt_id": receipt_id, "decision": decision,
                            "decided_by": decided_by}
    if deal_id is not None:
        args["deal_id"] = deal_id
    if note is not None:
        args["note"] = note
    return await client.call_one("freee_decide_match", args, MatchRow)


async def freee_status(client: AsyncJobsClient) -> list[StatusRow]:
    return await client.call_many("freee_status", {}, StatusRow)
