"""Lease operations for custom workers: claim, heartbeat, complete, fail, release."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from supajobs.claimed import ClaimedJob
from supajobs.models import Job
from supajobs.worker_models import LeaseState, Outcome

if TYPE_CHECKING:
    from supajobs.client import AsyncJobsClient


class AsyncWorkerApi:
    def __init__(self, client: AsyncJobsClient) -> None:
        self._client = client

    async def claim(self, worker_id: str, job_types: Sequence[str] | None = None,
                    batch_size: int = 1, lease_seconds: int | None = None) -> list[Job]:
        return await self._client.call_many(
            "claim", _claim_args(worker_id, job_types, batch_size, lease_seconds), Job)

    async def claim_work(self, worker_id: str, job_types: Sequence[str] | None = None,
                         batch_size: int = 1, lease_seconds: int | None = None
                         ) -> list[ClaimedJob]:
        """Like claim, but returns only what running a job needs (id, job_type, payload,
        attempts, timeout_seconds): cheaper for the database and the client."""
        rows = await self._client.call_raw(
            "claim_work", _claim_args(worker_id, job_types, batch_size, lease_seconds))
        return [ClaimedJob.from_row(row) for row in rows]

    async def heartbeat(self, worker_id: str, job_ids: Sequence[int],
                        lease_seconds: int | None = None) -> list[LeaseState]:
        args: dict[str, Any] = {"worker_id": worker_id, "job_ids": list(job_ids)}
        if lease_seconds is not None:
            args["lease_seconds"] = lease_seconds
        return await self._client.call_many("heartbeat", args, LeaseState)

    async def complete(self, worker_id: str, job_id: int, result: Any = None,
                       attempt: int | None = None) -> Job:
        args: dict[str, Any] = {"worker_id": worker_id, "job_id": job_id, "result": result}
        if attempt is not None:
            args["attempt"] = attempt
        return await self._client.call_one("complete", args, Job)

    async def fail(self, worker_id: str, job_id: int, error: str, *, retryable: bool = True,
                   attempt: int | None = None, timed_out: bool = False) -> Job:
        args: dict[str, Any] = {"worker_id": worker_id, "job_id": job_id, "error": error,
                                "retryable": retryable, "timed_out": timed_out}
        if attempt is not None:
            args["attempt"] = attempt
        return await self._client.call_one("fail", args, Job)

    async def postpone(self, worker_id: str, job_id: int, attempt: int, seconds: float,
                       error: str = "", key: str | None = None) -> Outcome:
        """The remote side throttles: run the job again after `seconds` without spending an
        attempt, and pause its rate key (or `key`) for as long (docs/flow-control.md)."""
        item: dict[str, Any] = {"job_id": job_id, "attempt": attempt, "seconds": seconds,
                                "error": error, "key": key}
        rows = await self._client.call_many(
            "postpone_jobs", {"worker_id": worker_id, "postponements": [item]}, Outcome)
        return rows[0]

    async def rate_limit_wait(self, job_types: Sequence[str] | None = None) -> float | None:
        """Seconds until the earliest blocked rate-limit bucket of these types frees up."""
        args = {} if job_types is None else {"job_types": [str(t) for t in job_types]}
        value = await self._client.call_raw("rate_limit_wait", args)
        return None if value is None else float(value)

    async def trace_contexts(self, job_ids: Sequence[int]) -> dict[int, str]:
        """The stored trace context of those jobs that have one (supajobs.tracing)."""
        rows = await self._client.call_raw("trace_contexts", {"job_ids": list(job_ids)})
        return {int(row["id"]): str(row["trace_context"]) for row in rows}

    async def open_breaker(self, worker_id: str, kind: str, reason: str,
                           details: dict[str, Any] | None = None) -> bool:
        """Record a trip of this worker's own breaker (cpu, db_pool); False if already open."""
        return bool(await self._client.call_raw(
            "open_worker_breaker", {"worker_id": worker_id, "kind": kind, "reason": reason,
                                    "details": details or {}}))

    async def close_breaker(self, worker_id: str, kind: str) -> bool:
        """The condition is gone: close the breaker; False if it was not open."""
        return bool(await self._client.call_raw(
            "close_worker_breaker", {"worker_id": worker_id, "kind": kind}))

    async def release(self, worker_id: str, job_ids: Sequence[int]) -> list[Outcome]:
        return await self._client.call_many(
            "release_jobs", {"worker_id": worker_id, "job_ids": list(job_ids)}, Outcome)


def _claim_args(worker_id: str, job_types: Sequence[str] | None, batch_size: int,
                lease_seconds: int | None) -> dict[str, Any]:
    args: dict[str, Any] = {"worker_id": worker_id, "batch_size": batch_size}
    if job_types is not None:
        args["job_types"] = [str(t) for t in job_types]
    if lease_seconds is not None:
        args["lease_seconds"] = lease_seconds
    return args
