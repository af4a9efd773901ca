"""After a mail scan, one freee_sync for the whole scan (when freee is set up): it waits
for every receipt the scan read and filed, so the scan's receipts cost one read of the
period's deals between them. If one of those jobs dies, the queue cancels this sync; the
nightly freee-sync schedule takes those receipts instead."""

from __future__ import annotations

from typing import Any

from supajobs_receipts.pipeline.context import Pipeline
from supajobs_receipts.pipeline.freee_settings import FreeeSettings
from supajobs_worker.registry import JobContext


async def chain_freee_sync(pipe: Pipeline, summary: dict[str, Any], ctx: JobContext) -> None:
    if not summary["jobs"] or not FreeeSettings.from_env().chain_after_scan:
        return
    job = await pipe.client.enqueue("freee_sync", {}, depends_on=list(summary["jobs"]),
                                    idempotency_key=f"freee_sync:after-scan:{ctx.job_id}")
    summary["freee_sync_job"] = job.id
