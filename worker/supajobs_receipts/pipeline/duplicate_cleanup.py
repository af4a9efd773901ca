"""duplicate_cleanup: find suspected duplicates (same date + total + vendor, look-alike
images) and flag each pair for a person to confirm or reject (dashboard or `supajobs
receipts duplicates`). It never marks, moves or deletes a receipt or a file itself.

Byte-identical copies never get here: receipts.save_document records them against the
original when they arrive (receipts.receipt_copies).
"""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import BaseModel, ConfigDict

from supajobs_receipts.dedup import compute_phashes, plan_duplicates
from supajobs_receipts.pipeline.context import Pipeline
from supajobs_worker.registry import JobContext

CANDIDATES = ("read", "needs_review", "filed")


class DedupPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")


async def duplicate_cleanup(pipe: Pipeline, payload: DedupPayload, ctx: JobContext
                            ) -> dict[str, Any]:
    rows = [r for r in await pipe.api.list_receipts() if r.status in CANDIDATES]
    records = [r.record() for r in rows]
    phashes = await asyncio.to_thread(compute_phashes, records, pipe.store)
    plan = plan_duplicates(records, phashes=phashes)
    suggested: list[dict[str, Any]] = []
    known = 0
    for dup in plan.duplicates:
        if await pipe.api.suggest_duplicate(dup.receipt_id, dup.kept_id, dup.reason):
            suggested.append({"receipt_id": dup.receipt_id, "duplicate_of": dup.kept_id,
                              "reason": dup.reason})
        else:
            known += 1  # flagged by an earlier run (and perhaps already decided)
    return {"checked": len(records), "suggested": suggested, "already_suggested": known,
            "removed": 0}
