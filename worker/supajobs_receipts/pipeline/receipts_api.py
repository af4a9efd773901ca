"""The receipts RPCs the pipeline's steps call, over the SDK client."""

from __future__ import annotations

import datetime as dt
from typing import Any

from supajobs.client import AsyncJobsClient
from supajobs_receipts.pipeline import receipts_rpc as _registered  # noqa: F401 (allow-list)
from supajobs_receipts.pipeline.receipt_rows import BackupRow, ReceiptRow

__all__ = ["BackupRow", "ReceiptRow", "ReceiptsApi"]


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

    async def record_reading(self, receipt_id: str, fields: dict[str, Any], *,
                             changed_by: str | None = None,
                             change_reason: str | None = None) -> ReceiptRow:
        args: dict[str, Any] = {"receipt_id": receipt_id, "fields": fields}
        if changed_by is not None:
            args["changed_by"] = changed_by
        if change_reason is not None:
            args["change_reason"] = change_reason
        return await self.client.call_one("record_reading", args, ReceiptRow)

    async def record_filing(self, receipt_id: str, stored_path: str) -> ReceiptRow:
        return await self.client.call_one(
            "record_filing", {"receipt_id": receipt_id, "stored_path": stored_path}, ReceiptRow)

    async def suggest_duplicate(self, receipt_id: str, duplicate_of: str, reason: str) -> bool:
        """Flag a suspected duplicate for a person; True when the pair is new."""
        added = await self.client.call_raw("suggest_duplicate", {
            "receipt_id": receipt_id, "duplicate_of": duplicate_of, "reason": reason})
        return added is True

    async def list_receipts(self, from_date: dt.date | None = None, to_date: dt.date | None = None,
                            include_duplicates: bool = False, include_deleted: bool = False
                            ) -> list[ReceiptRow]:
        args: dict[str, Any] = {"include_duplicates": include_duplicates,
                                "include_deleted": include_deleted}
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
