"""A person's decision on a receipt of the freee review list, as the CLI and the dashboard
make it: record it (receipts.freee_decide_match) and, for a confirmed deal, enqueue the
freee_sync that only attaches. The attachment is a freee call, so it goes through the queue
and its rate limits, never from the command or the page."""

from __future__ import annotations

from typing import Any

from supajobs.client import AsyncJobsClient
from supajobs_receipts.pipeline.freee_api import decide_match

ATTACH_JOB_TYPE = "freee_sync"
ATTACH_ONLY = {"attach_only": True}


def attach_key(receipt_id: object) -> str:
    """One attach-only sync per confirmed receipt, however often the decision is sent."""
    return f"{ATTACH_JOB_TYPE}:confirm:{receipt_id}"


async def decide_and_queue(client: AsyncJobsClient, receipt_id: str, decision: str,
                           decided_by: str, deal_id: int | None = None,
                           note: str | None = None) -> dict[str, Any]:
    """The decided match as JSON; with `attach_job` (the job's id) when confirmed."""
    made = await decide_match(client, receipt_id, decision, decided_by, deal_id, note)
    row = made.model_dump(mode="json")
    if made.status == "confirmed":
        job = await client.enqueue(ATTACH_JOB_TYPE, dict(ATTACH_ONLY),
                                   idempotency_key=attach_key(made.receipt_id))
        row["attach_job"] = job.id
    return row
