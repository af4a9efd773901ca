"""The blocking twin of AsyncWorkerApi: what a worker written without asyncio calls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from supajobs.claimed import ClaimedJob
from supajobs.loop_thread import LoopThread
from supajobs.models import Job
from supajobs.worker_api import AsyncWorkerApi
from supajobs.worker_models import LeaseState, Outcome


class WorkerApi:
    def __init__(self, inner: AsyncWorkerApi, loop: LoopThread) -> None:
        self._inner, self._loop = inner, loop

    def claim(self, worker_id: str, job_types: Sequence[str] | None = None,
              batch_size: int = 1, lease_seconds: int | None = None) -> list[Job]:
        return self._loop.run(self._inner.claim(worker_id, job_types, batch_size, lease_seconds))

    def claim_work(self, worker_id: str, job_types: Sequence[str] | None = None,
                   batch_size: int = 1, lease_seconds: int | None = None) -> list[ClaimedJob]:
        return self._loop.run(self._inner.claim_work(worker_id, job_types, batch_size,
                                                     lease_seconds))

    def heartbeat(self, worker_id: str, job_ids: Sequence[int],
                  lease_seconds: int | None = None) -> list[LeaseState]:
        return self._loop.run(self._inner.heartbeat(worker_id, job_ids, lease_seconds))

    def complete(self, worker_id: str, job_id: int, result: Any = None,
                 attempt: int | None = None) -> Job:
        return self._loop.run(self._inner.complete(worker_id, job_id, result, attempt))

    def fail(self, worker_id: str, job_id: int, error: str, *, retryable: bool = True,
             attempt: int | None = None, timed_out: bool = False) -> Job:
        return self._loop.run(self._inner.fail(worker_id, job_id, error, retryable=retryable,
                                               attempt=attempt, timed_out=timed_out))

    def postpone(self, worker_id: str, job_id: int, attempt: int, seconds: float,
                 error: str = "", key: str | None = None) -> Outcome:
        return self._loop.run(self._inner.postpone(worker_id, job_id, attempt, seconds, error,
                                                   key))

    def rate_limit_wait(self, job_types: Sequence[str] | None = None) -> float | None:
        return self._loop.run(self._inner.rate_limit_wait(job_types))

    def trace_contexts(self, job_ids: Sequence[int]) -> dict[int, str]:
        return self._loop.run(self._inner.trace_contexts(job_ids))

    def open_breaker(self, worker_id: str, kind: str, reason: str,
                     details: dict[str, Any] | None = None) -> bool:
        return self._loop.run(self._inner.open_breaker(worker_id, kind, reason, details))

    def close_breaker(self, worker_id: str, kind: str) -> bool:
        return self._loop.run(self._inner.close_breaker(worker_id, kind))

    def release(self, worker_id: str, job_ids: Sequence[int]) -> list[Outcome]:
        return self._loop.run(self._inner.release(worker_id, job_ids))
