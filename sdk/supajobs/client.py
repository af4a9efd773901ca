"""AsyncJobsClient: the typed API over one transport (PostgREST or PostgreSQL)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from supajobs.config import transport_from_env
from supajobs.enqueue_calls import batch_name, checked_batch, send_batch_ids, send_one
from supajobs.enums import JobStatus, Priority
from supajobs.errors import JobWaitTimeoutError, SupajobsError
from supajobs.flow_models import RateLimitStat
from supajobs.functions import lookup
from supajobs.models import Execution, Job, QueueStat, SweepReport
from supajobs.namespaces import AsyncBreakers, AsyncDeadLetters, AsyncJobTypes
from supajobs.retry import RetryPolicy, with_retry
from supajobs.schedules import AsyncSchedules
from supajobs.tracing import start_enqueue
from supajobs.transport.base import Transport
from supajobs.worker_api import AsyncWorkerApi

M = TypeVar("M", bound=BaseModel)


class AsyncJobsClient:
    def __init__(self, transport: Transport, *, retry: RetryPolicy | None = None) -> None:
        self.transport = transport
        self.retry = retry or RetryPolicy()
        self.dead_letters = AsyncDeadLetters(self)
        self.schedules = AsyncSchedules(self)
        self.breakers = AsyncBreakers(self)
        self.job_types = AsyncJobTypes(self)
        self.worker = AsyncWorkerApi(self)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *,
                 retry: RetryPolicy | None = None) -> AsyncJobsClient:
        return cls(transport_from_env(env), retry=retry)

    async def call_raw(self, fn: str, args: Mapping[str, Any],
                       idempotent: bool | None = None) -> Any:
        safe = lookup(fn).idempotent if idempotent is None else idempotent
        return await with_retry(self.retry, safe, lambda: self.transport.call(fn, args))

    async def call_one(self, fn: str, args: Mapping[str, Any], model: type[M],
                       idempotent: bool | None = None) -> M:
        data = await self.call_raw(fn, args, idempotent)
        if data is None:
            raise SupajobsError(f"{fn} returned nothing")
        return model.model_validate(data)

    async def call_many(self, fn: str, args: Mapping[str, Any], model: type[M],
                        idempotent: bool | None = None) -> list[M]:
        return [model.model_validate(row) for row in await self.call_raw(fn, args, idempotent)]

    async def enqueue(self, job_type: str, payload: Mapping[str, Any] | None = None, *,
                      priority: Priority | str | None = None, run_at: datetime | None = None,
                      idempotency_key: str | None = None, depends_on: Sequence[int] = (),
                      max_attempts: int | None = None, timeout: int | None = None,
                      rate_key: str | None = None) -> Job:
        """Create a job (or return the existing one with the same idempotency key). Inside a
        span, the job carries its trace context (supajobs.tracing). rate_key: the job's
        flow-control bucket, instead of the type's payload field."""
        traced = start_enqueue(str(job_type))
        if traced is None:
            return await send_one(self, job_type, payload, priority, run_at, idempotency_key,
                                  depends_on, max_attempts, timeout, rate_key, None)
        with traced:
            job = await send_one(self, job_type, payload, priority, run_at, idempotency_key,
                                 depends_on, max_attempts, timeout, rate_key, traced.context)
            traced.jobs([job.id])
            return job

    async def enqueue_many(self, jobs: Sequence[Mapping[str, Any]]) -> list[Job]:
        """Enqueue a batch atomically. Items: job_type, payload, priority, run_at,
        idempotency_key, depends_on (ids, or refs of items), ref, max_attempts, timeout_seconds,
        rate_key, trace_context (default: the caller's span, as for enqueue)."""
        traced = start_enqueue(batch_name(jobs), len(jobs))
        wire, keyed = checked_batch(jobs, None if traced is None else traced.context)
        if traced is None:
            return await self.call_many("enqueue_batch", {"items": wire}, Job, idempotent=keyed)
        with traced:
            added = await self.call_many("enqueue_batch", {"items": wire}, Job, idempotent=keyed)
            traced.jobs(j.id for j in added)
            return added

    async def enqueue_many_ids(self, jobs: Sequence[Mapping[str, Any]]) -> list[int]:
        """enqueue_many for bulk loads: the same batch, answered with the new ids only (in
        input order), which saves reading and validating a whole Job per item."""
        traced = start_enqueue(batch_name(jobs), len(jobs))
        wire, keyed = checked_batch(jobs, None if traced is None else traced.context)
        if traced is None:
            return await send_batch_ids(self, wire, keyed)
        with traced:
            ids = await send_batch_ids(self, wire, keyed)
            traced.jobs(ids)
            return ids

    async def get_job(self, job_id: int) -> Job:
        return await self.call_one("get_job", {"job_id": job_id}, Job)

    async def history(self, job_id: int) -> list[Execution]:
        return await self.call_many("job_history", {"job_id": job_id}, Execution)

    async def cancel(self, job_id: int, reason: str | None = None) -> Job:
        args: dict[str, Any] = {"job_id": job_id}
        if reason is not None:
            args["reason"] = reason
        return await self.call_one("cancel", args, Job)

    async def wait(self, job_id: int, timeout: float = 30.0, *, poll_interval: float = 0.5,
                   on_poll: Callable[[Job], None] | None = None) -> Job:
        """Poll until the job is succeeded, dead or cancelled; JobWaitTimeoutError if not."""
        deadline = time.monotonic() + timeout
        while True:
            job = await self.get_job(job_id)
            if on_poll is not None:
                on_poll(job)
            if job.status.finished:
                return job
            left = deadline - time.monotonic()
            if left <= 0:
                raise JobWaitTimeoutError(f"job {job_id} is still {job.status} after {timeout:g} s",
                                     job=job)
            await asyncio.sleep(min(poll_interval, left))

    async def stats(self) -> list[QueueStat]:
        """Per job type and status: counts, oldest due age, failure rate, breaker state."""
        return await self.call_many("queue_stats", {}, QueueStat)

    async def rate_limits(self) -> list[RateLimitStat]:
        """Per rate-limit bucket and limit: capacity, used now, remaining, any pause."""
        return await self.call_many("rate_limit_stats", {}, RateLimitStat)

    async def sweep(self) -> SweepReport:
        return SweepReport.model_validate(await self.call_raw("sweep", {}))

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def __aenter__(self) -> AsyncJobsClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


__all__ = ["AsyncJobsClient", "JobStatus"]
