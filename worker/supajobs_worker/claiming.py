"""One claim call: reserve the slots it asks for, and, while tracing is on, read the claimed
jobs' trace contexts before they start (their spans continue their enqueue's trace)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from supajobs.claimed import ClaimedJob
from supajobs.tracing import tracer
from supajobs_worker.observability.job_spans import JobTrace, trace_claimed

if TYPE_CHECKING:
    from supajobs_worker.runner import Runner


async def claim_traced(runner: Runner, wanted: int
                       ) -> tuple[list[ClaimedJob], dict[int, JobTrace]]:
    runner.reserved += wanted  # concurrent claimers must not both count the same slots
    try:
        spans = tracer()  # None while tracing is off: then nothing more than the claim
        started = 0 if spans is None else time.time_ns()
        jobs = await runner.client.worker.claim_work(runner.worker_id, runner.job_types, wanted,
                                                     runner.config.lease_seconds)
        if spans is None or not jobs:
            return jobs, {}
        return jobs, await trace_claimed(runner.client, spans, jobs, (started, time.time_ns()),
                                         runner.worker_id)
    finally:
        runner.reserved -= wanted
