"""JobsClient: the sync mirror of AsyncJobsClient (runs it on a private event loop thread)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any

from supajobs.client import AsyncJobsClient
from supajobs.config import transport_from_env
from supajobs.enums import Priority
from supajobs.flow_models import RateLimitStat
from supajobs.loop_thread import LoopThread
from supajobs.models import Execution, Job, QueueStat, SweepReport
from supajobs.retry import RetryPolicy
from supajobs.sync_namespaces import Breakers, DeadLetters, JobTypes, Schedules, WorkerApi
from supajobs.transport.base import Transport


class JobsClient:
    def __init__(self, transport: Transport, *, retry: RetryPolicy | None = None) -> None:
        self._loop = LoopThread()
        self.aio = AsyncJobsClient(transport, retry=retry)
        self.dead_letters = DeadLetters(self.aio.dead_letters, self._loop)
        self.schedules = Schedules(self.aio.schedules, self._loop)
        self.breakers = Breakers(self.aio.breakers, self._loop)
        self.job_types = JobTypes(self.aio.job_types, self._loop)
        self.worker = WorkerApi(self.aio.worker, self._loop)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *,
                 retry: RetryPolicy | None = None) -> JobsClient:
        return cls(transport_from_env(env), retry=retry)

    def enqueue(self, job_type: str, payload: Mapping[str, Any] | None = None, *,
                priority: Priority | str | None = None, run_at: datetime | None = None,
                idempotency_key: str | None = None, depends_on: Sequence[int] = (),
                max_attempts: int | None = None, timeout: int | None = None,
                rate_key: str | None = None) -> Job:
        return self._loop.run(self.aio.enqueue(
            job_type, payload, priority=priority, run_at=run_at, idempotency_key=idempotency_key,
            depends_on=depends_on, max_attempts=max_attempts, timeout=timeout,
            rate_key=rate_key))

    def enqueue_many(self, jobs: Sequence[Mapping[str, Any]]) -> list[Job]:
        return self._loop.run(self.aio.enqueue_many(jobs))

    def enqueue_many_ids(self, jobs: Sequence[Mapping[str, Any]]) -> list[int]:
        return self._loop.run(self.aio.enqueue_many_ids(jobs))

    def get_job(self, job_id: int) -> Job:
        return self._loop.run(self.aio.get_job(job_id))

    def history(self, job_id: int) -> list[Execution]:
        return self._loop.run(self.aio.history(job_id))

    def cancel(self, job_id: int, reason: str | None = None) -> Job:
        return self._loop.run(self.aio.cancel(job_id, reason))

    def wait(self, job_id: int, timeout: float = 30.0, *, poll_interval: float = 0.5,
             on_poll: Callable[[Job], None] | None = None) -> Job:
        return self._loop.run(self.aio.wait(job_id, timeout, poll_interval=poll_interval,
                                            on_poll=on_poll))

    def stats(self) -> list[QueueStat]:
        return self._loop.run(self.aio.stats())

    def rate_limits(self) -> list[RateLimitStat]:
        return self._loop.run(self.aio.rate_limits())

    def sweep(self) -> SweepReport:
        return self._loop.run(self.aio.sweep())

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):  # already closed
            self._loop.run(self.aio.aclose())
        self._loop.stop()

    def __enter__(self) -> JobsClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
