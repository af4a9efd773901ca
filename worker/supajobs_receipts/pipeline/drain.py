"""Run due jobs in-process until none is left: claim, run the handler, complete or fail.

The same steps the worker's runner takes (its `run_handler` classifies the outcome), one
job at a time, for the demo and the tests: deterministic, no webhook, no threads to join.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from supajobs.client import AsyncJobsClient
from supajobs.models import Job
from supajobs_worker.execute import run_handler
from supajobs_worker.registry import Registry


@dataclass(frozen=True)
class Ran:
    job: Job  # as claimed
    ok: bool
    result: Any
    error: str
    final: Job  # as recorded (succeeded, queued for a retry, dead, ...)


async def run_one(client: AsyncJobsClient, registry: Registry, job: Job, worker_id: str) -> Ran:
    handler = registry.get(job.job_type)
    if handler is None:
        raise LookupError(f"no handler for {job.job_type}")
    verdict = await run_handler(handler, job, worker_id)
    if verdict.ok:
        final = await client.worker.complete(worker_id, job.id, verdict.result, job.attempts)
    else:
        final = await client.worker.fail(worker_id, job.id, verdict.error,
                                         retryable=verdict.retryable, attempt=job.attempts,
                                         timed_out=verdict.timed_out)
    return Ran(job, verdict.ok, verdict.result, verdict.error, final)


async def run_until_idle(client: AsyncJobsClient, registry: Registry, *,
                         worker_id: str = "in-process", job_types: Sequence[str] | None = None,
                         on_ran: Callable[[Ran], None] | None = None,
                         limit: int = 1000) -> list[Ran]:
    """Claim and run one due job at a time until a claim comes back empty."""
    types = list(job_types or registry.job_types())
    done: list[Ran] = []
    while len(done) < limit:
        claimed = await client.worker.claim(worker_id, types, 1, 300)
        if not claimed:
            return done
        ran = await run_one(client, registry, claimed[0], worker_id)
        done.append(ran)
        if on_ran is not None:
            on_ran(ran)
    raise RuntimeError(f"still claiming after {limit} jobs: is something re-enqueueing itself?")
