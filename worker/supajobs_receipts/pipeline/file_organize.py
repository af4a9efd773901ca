"""file_organize: move read receipts from the inbox to `YYYY/MM/<date>_<vendor>_<amount>円.ext`.

With a receipt id (the job email_scan chains after receipt_process) it files that one;
with an empty payload (the daily schedule) every read receipt still in the inbox.
"""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from supajobs.errors import NotFoundError
from supajobs_receipts.organize import organize_receipt
from supajobs_receipts.organize.organizer import OrganizeError
from supajobs_receipts.pipeline.context import Pipeline
from supajobs_receipts.pipeline.receipts_api import ReceiptRow
from supajobs_receipts.storage.base import BLOB_PREFIX
from supajobs_worker.registry import JobContext, NonRetryableError

FILEABLE = ("read", "needs_review", "filed")


class OrganizePayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    receipt_id: UUID | None = None


def unfiled(row: ReceiptRow) -> bool:
    return row.status in FILEABLE and row.stored_path.startswith(BLOB_PREFIX + "/")


async def file_one(pipe: Pipeline, row: ReceiptRow) -> dict[str, Any]:
    """File one receipt; unreadable, duplicate or unread ones stay where they are."""
    done: dict[str, Any] = {"receipt_id": str(row.id)}
    if row.status not in FILEABLE:
        return {**done, "action": "not_filed", "reason": f"receipt is {row.status}",
                "path": row.stored_path}
    result = await asyncio.to_thread(organize_receipt, row.record(), pipe.store)
    saved = await pipe.api.record_filing(str(row.id), result.new_path)
    return {**done, "action": result.action, "path": result.new_path, "status": saved.status}


async def file_organize(pipe: Pipeline, payload: OrganizePayload, ctx: JobContext
                        ) -> dict[str, Any]:
    if payload.receipt_id is not None:
        try:
            row = await pipe.api.get(str(payload.receipt_id))
        except NotFoundError as exc:
            raise NonRetryableError(f"receipt {payload.receipt_id} does not exist") from exc
        try:
            return await file_one(pipe, row)
        except OrganizeError as exc:
            raise NonRetryableError(str(exc)) from exc
    filed: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    for row in await pipe.api.list_receipts():
        if not unfiled(row):
            continue
        try:
            filed.append(await file_one(pipe, row))
        except OrganizeError as exc:  # one bad receipt must not hold up the others
            errors.append({"receipt_id": str(row.id), "error": str(exc)})
    return {"filed": filed, "errors": errors}
