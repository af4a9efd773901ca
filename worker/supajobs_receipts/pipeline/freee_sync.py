"""freee_sync: every read receipt into freee's File Box once, then onto its deal.

One batch per run, to spend freee's daily call budget sparingly: the period's deals and
partners are read once per batch, not per receipt. Steps: upload what is not uploaded
(idempotent per sha256), attach what a person confirmed, match the rest (attach only a
clear best; everything else goes to the review list). Progress is recorded per receipt, so
a throttled or failed run continues where it stopped. freee's 403 throttle and 429 postpone
the job through the queue (RetryLaterError, key `freee:<company>`), never a sleep here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from supajobs.errors import ConfigurationError
from supajobs_receipts.credentials import GrantError
from supajobs_receipts.freee import (
    FreeeAuthError,
    FreeeClient,
    FreeeError,
    FreeeForbiddenError,
    FreeeRequestError,
    FreeeThrottledError,
)
from supajobs_receipts.pipeline.context import Pipeline
from supajobs_receipts.pipeline.freee_access import freee_client
from supajobs_receipts.pipeline.freee_api import FreeeLedger, WorkRow
from supajobs_receipts.pipeline.freee_attach_step import attach_one
from supajobs_receipts.pipeline.freee_settings import FreeeSettings
from supajobs_receipts.pipeline.freee_upload import TOKYO, upload_once
from supajobs_worker.registry import JobContext, NonRetryableError, RetryLaterError

MATCHABLE = (None, "ambiguous", "no_match")
FREEE_BATCH = 20  # receipts per sync: bounds its calls (register.py's rate limits count on it)


class FreeeSyncPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Only attach what a person confirmed (`supajobs receipts freee confirm` enqueues this).
    attach_only: bool = False


def new_summary(company_id: int) -> dict[str, Any]:
    return {"company_id": company_id, "receipts": 0, "uploaded": 0, "found_uploaded": 0,
            "attached": [], "already_attached": 0, "review": [], "errors": []}


async def _run(pipe: Pipeline, client: FreeeClient, ledger: FreeeLedger,
               settings: FreeeSettings, payload: FreeeSyncPayload,
               summary: dict[str, Any]) -> None:
    since = dt.datetime.now(TOKYO).date() - dt.timedelta(days=settings.lookback_days)
    every = await ledger.work(since)
    rows = every[:FREEE_BATCH]
    summary["receipts"], summary["left_for_next_run"] = len(rows), len(every) - len(rows)
    uploaded: list[tuple[WorkRow, int]] = []
    for row in rows:
        freee_id = row.freee_receipt_id
        if row.upload_state != "uploaded" or freee_id is None:
            try:
                freee_id, how = await upload_once(client, ledger, pipe.store, row)
            except FreeeRequestError as exc:  # this file only (too big, refused): go on
                summary["errors"].append({"receipt_id": str(row.receipt_id), "error": str(exc)})
                continue
            summary["uploaded" if how == "uploaded" else "found_uploaded"] += 1
        uploaded.append((row, freee_id))
    for row, freee_id in uploaded:
        if row.match_status == "confirmed" and row.deal_id is not None:
            await attach_one(client, ledger, row, row.deal_id, freee_id, summary)
    pending = [(row, freee_id) for row, freee_id in uploaded if row.match_status in MATCHABLE]
    if pending and not payload.attach_only:
        # The matcher is imported here: a sync that only uploads or attaches needs none.
        from supajobs_receipts.pipeline.freee_matching import match_and_attach
        await match_and_attach(client, ledger, settings, pending, summary)


async def freee_sync(pipe: Pipeline, payload: FreeeSyncPayload, ctx: JobContext
                     ) -> dict[str, Any]:
    try:
        settings = FreeeSettings.from_env()
        client = await freee_client(settings, pipe)
    except (GrantError, ConfigurationError) as exc:
        raise NonRetryableError(str(exc)) from None
    ledger = FreeeLedger(pipe.client, client.company_id)
    summary = new_summary(client.company_id)
    try:
        await _run(pipe, client, ledger, settings, payload, summary)
    except FreeeThrottledError as exc:
        # key None: the type's own bucket pauses, so the other syncs wait for freee too
        raise RetryLaterError(exc.seconds, str(exc)) from None
    except (GrantError, FreeeAuthError, FreeeForbiddenError) as exc:
        raise NonRetryableError(str(exc)) from None
    except FreeeError as exc:
        if exc.retryable:
            raise
        raise NonRetryableError(str(exc)) from None
    finally:
        client.close()
    return summary
