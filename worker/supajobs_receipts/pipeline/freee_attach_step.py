"""Attach one uploaded receipt to its deal and record it (freee_sync's last step)."""

from __future__ import annotations

import asyncio
from typing import Any

from supajobs_receipts.freee import (
    FreeeClient,
    FreeeRequestError,
    FreeeUnchangedError,
    attach_receipt,
)
from supajobs_receipts.pipeline.freee_api import FreeeLedger, WorkRow


async def attach_one(client: FreeeClient, ledger: FreeeLedger, row: WorkRow, deal_id: int,
                     freee_id: int, summary: dict[str, Any], score: float | None = None) -> None:
    """Attach, record it; a refusal or a deal that changed goes to the review list."""
    try:
        outcome = await asyncio.to_thread(attach_receipt, client, deal_id, freee_id)
    except (FreeeRequestError, FreeeUnchangedError) as exc:
        await ledger.record_match(row.receipt_id, "ambiguous", score, [deal_id], str(exc))
        summary["review"].append({"receipt_id": str(row.receipt_id), "status": "ambiguous",
                                  "candidates": [deal_id], "error": str(exc)})
        return
    await ledger.mark_attached(row.receipt_id, deal_id, score)
    if outcome.action == "already_attached":
        summary["already_attached"] += 1
    summary["attached"].append({"receipt_id": str(row.receipt_id), "deal_id": deal_id,
                                "file_box_id": freee_id})
