"""duplicate_cleanup: mark duplicates (same bytes, same date+total+vendor, look-alike
images) with a pointer to the kept receipt; delete a duplicate's file only when a verified
backup in the backup directory holds its bytes."""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import BaseModel, ConfigDict

from supajobs_receipts.backup import backed_up_hashes
from supajobs_receipts.dedup import compute_phashes, plan_duplicates
from supajobs_receipts.pipeline.context import Pipeline
from supajobs_receipts.storage import StoredFileNotFoundError
from supajobs_worker.registry import JobContext

CANDIDATES = ("read", "needs_review", "filed")


class DedupPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")


async def duplicate_cleanup(pipe: Pipeline, payload: DedupPayload, ctx: JobContext
                            ) -> dict[str, Any]:
    rows = {str(r.id): r for r in await pipe.api.list_receipts() if r.status in CANDIDATES}
    records = [r.record() for r in rows.values()]
    backed = await asyncio.to_thread(backed_up_hashes, pipe.settings.backup_dir)
    phashes = await asyncio.to_thread(compute_phashes, records, pipe.store)
    plan = plan_duplicates(records, is_backed_up=backed.__contains__, phashes=phashes)
    marked: list[dict[str, Any]] = []
    for dup in plan.duplicates:
        deleted = False
        if dup.delete_file:
            try:
                await asyncio.to_thread(pipe.store.delete, rows[dup.receipt_id].stored_path)
                deleted = True
            except StoredFileNotFoundError:
                deleted = True  # gone already (an earlier run deleted it, then crashed)
        await pipe.api.mark_duplicate(dup.receipt_id, dup.kept_id, dup.reason, deleted)
        marked.append({"receipt_id": dup.receipt_id, "kept_id": dup.kept_id,
                       "reason": dup.reason, "file_deleted": deleted})
    return {"checked": len(records), "duplicates": marked, "kept": list(plan.kept)}
