"""The receipts RPCs (schema `receipts`) over the SDK client, and rows -> ReceiptRecord."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from supajobs.client import AsyncJobsClient
from supajobs.functions import Returns, RpcFunction, register
from supajobs_receipts.organize import ReceiptRecord

_ID = {"receipt_id": "uuid"}
for _fn in (
    RpcFunction("save_document", Returns.ONE, True, {"received_at": "timestamptz"}, "receipts"),
    RpcFunction("get_receipt", Returns.ONE, True, _ID, "receipts"),
    RpcFunction("record_reading", Returns.ONE, True, {**_ID, "fields": "jsonb"}, "receipts"),
    RpcFunction("record_filing", Returns.ONE, True, _ID, "receipts"),
    RpcFunction("mark_duplicate", Returns.ONE, True, {**_ID, "duplicate_of": "uuid"},
                "receipts"),
    RpcFunction("list_receipts", Returns.MANY, True,
                {"from_date": "date", "to_date": "date"}, "receipts"),
    RpcFunction("get_checkpoint", Returns.SCALAR, True, {}, "receipts"),
    RpcFunction("save_checkpoint", Returns.SCALAR, True, {"checkpoint": "jsonb"}, "receipts"),
    RpcFunction("record_backup", Returns.ONE, False, {"file_hashes": "text[]"}, "receipts"),
    RpcFunction("backed_up_hashes", Returns.MANY, True, {}, "receipts"),
):
    register(_fn)


class ReceiptRow(BaseModel):
    """One row of receipts.receipts as the RPCs return it."""

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
    file_deleted: bool = False

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


class ReceiptsApi:
    def __init__(self, client: AsyncJobsClient) -> None:
        self.client = client

    async def save_document(self, *, sha256: str, stored_path: str, original_name: str,
                            content_type: str, source: str, message_id: str | None,
                            received_at: dt.datetime | None) -> ReceiptRow:
        args: dict[str, Any] = {"sha256": sha256, "stored_path": stored_path,
                                "original_name": original_name, "content_type": content_type,
                                "source": source, "message_id": message_id}
        if received_at is not None:
            args["received_at"] = received_at
        return await self.client.call_one("save_document", args, ReceiptRow)

    async def get(self, receipt_id: str) -> ReceiptRow:
        return await self.client.call_one("get_receipt", {"receipt_id": receipt_id}, ReceiptRow)

    async def record_reading(self, receipt_id: str, fields: dict[str, Any]) -> ReceiptRow:
        return await self.client.call_one(
            "record_reading", {"receipt_id": receipt_id, "fields": fields}, ReceiptRow)

    async def record_filing(self, receipt_id: str, stored_path: str) -> ReceiptRow:
        return await self.client.call_one(
            "record_filing", {"receipt_id": receipt_id, "stored_path": stored_path}, ReceiptRow)

    async def mark_duplicate(self, receipt_id: str, duplicate_of: str, reason: str,
                             file_deleted: bool) -> ReceiptRow:
        return await self.client.call_one("mark_duplicate", {
            "receipt_id": receipt_id, "duplicate_of": duplicate_of, "reason": reason,
            "file_deleted": file_deleted}, ReceiptRow)

    async def list_receipts(self, from_date: dt.date | None = None, to_date: dt.date | None = None,
                   include_duplicates: bool = False) -> list[ReceiptRow]:
        args: dict[str, Any] = {"include_duplicates": include_duplicates}
        if from_date is not None:
            args["from_date"] = from_date
        if to_date is not None:
            args["to_date"] = to_date
        return await self.client.call_many("list_receipts", args, ReceiptRow)

    async def get_checkpoint(self, mailbox: str) -> dict[str, Any] | None:
        found = await self.client.call_raw("get_checkpoint", {"mailbox": mailbox})
        return found if isinstance(found, dict) else None

    async def save_checkpoint(self, mailbox: str, checkpoint: dict[str, Any]) -> None:
        await self.client.call_raw("save_checkpoint",
                                   {"mailbox": mailbox, "checkpoint": checkpoint})

    async def record_backup(self, *, path: str, sha256: str, members: int, size: int,
                            file_hashes: list[str]) -> BackupRow:
        return await self.client.call_one("record_backup", {
            "path": path, "sha256": sha256, "members": members, "bytes": size,
            "file_hashes": file_hashes}, BackupRow)

    async def backed_up_hashes(self) -> frozenset[str]:
        rows = await self.client.call_raw("backed_up_hashes", {})
        return frozenset(str(next(iter(r.values()))) if isinstance(r, dict) else str(r)
                         for r in rows)
