"""Sync mirrors of the client's namespaces (each call runs on the private loop)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from supajobs.enums import Overlap, Priority
from supajobs.job_type_options import JobTypeChange, JobTypeOptions, RateLimit
from supajobs.loop_thread import LoopThread
from supajobs.models import (
    Breaker,
    BreakerTrip,
    DeadLetter,
    Execution,
    Job,
    JobTypeInfo,
)
from supajobs.namespaces import AsyncBreakers, AsyncDeadLetters, AsyncJobTypes
from supajobs.plan import Plan
from supajobs.schedule_models import Schedule
from supajobs.schedules import AsyncSchedules
from supajobs.sync_worker_api import WorkerApi  # re-exported beside the other namespaces


class DeadLetters:
    def __init__(self, inner: AsyncDeadLetters, loop: LoopThread) -> None:
        self._inner, self._loop = inner, loop

    def list(self, limit: int = 100, job_type: str | None = None) -> builtins.list[DeadLetter]:
        return self._loop.run(self._inner.list(limit, job_type))

    def requeue(self, job_id: int) -> Job:
        return self._loop.run(self._inner.requeue(job_id))

    def purge(self, older_than: timedelta | None = None) -> int:
        return self._loop.run(self._inner.purge(older_than))


class Breakers:
    def __init__(self, inner: AsyncBreakers, loop: LoopThread) -> None:
        self._inner, self._loop = inner, loop

    def list(self) -> builtins.list[Breaker]:
        return self._loop.run(self._inner.list())

    def history(self, limit: int = 100) -> builtins.list[BreakerTrip]:
        return self._loop.run(self._inner.history(limit))

    def reset(self, scope: str, reset_by: str = "operator") -> builtins.list[BreakerTrip]:
        return self._loop.run(self._inner.reset(scope, reset_by))


class JobTypes:
    def __init__(self, inner: AsyncJobTypes, loop: LoopThread) -> None:
        self._inner, self._loop = inner, loop

    def list(self) -> builtins.list[JobTypeInfo]:
        return self._loop.run(self._inner.list())

    def upsert(self, name: str, *, default_priority: Priority | str = Priority.MEDIUM,
               max_attempts: int = 5, timeout_seconds: int = 300,
               backoff_base_seconds: float = 10, backoff_cap_seconds: float = 3600,
               concurrency_limit: int | None = None, heavy: bool = False,
               rate_limits: Sequence[RateLimit | Mapping[str, Any]] | None = None,
               rate_key: str | None = None, key_concurrency: int | None = None) -> JobTypeInfo:
        return self._loop.run(self._inner.upsert(
            name, default_priority=default_priority, max_attempts=max_attempts,
            timeout_seconds=timeout_seconds, backoff_base_seconds=backoff_base_seconds,
            backoff_cap_seconds=backoff_cap_seconds, concurrency_limit=concurrency_limit,
            heavy=heavy, rate_limits=rate_limits, rate_key=rate_key,
            key_concurrency=key_concurrency))

    def ensure(self, declared: Mapping[str, JobTypeOptions | None]
               ) -> builtins.list[JobTypeChange]:
        return self._loop.run(self._inner.ensure(declared))


class Schedules:
    def __init__(self, inner: AsyncSchedules, loop: LoopThread) -> None:
        self._inner, self._loop = inner, loop

    def upsert(self, name: str, cron: str, job_type: str,
               payload: Mapping[str, Any] | None = None, *, timezone: str = "Asia/Tokyo",
               overlap: Overlap | str = Overlap.SKIP, priority: Priority | str | None = None,
               enabled: bool = True) -> Schedule:
        return self._loop.run(self._inner.upsert(name, cron, job_type, payload, timezone=timezone,
                                                 overlap=overlap, priority=priority,
                                                 enabled=enabled))

    def list(self) -> builtins.list[Schedule]:
        return self._loop.run(self._inner.list())

    def get(self, name: str) -> Schedule:
        return self._loop.run(self._inner.get(name))

    def pause(self, name: str) -> Schedule:
        return self._loop.run(self._inner.pause(name))

    def resume(self, name: str) -> Schedule:
        return self._loop.run(self._inner.resume(name))

    def delete(self, name: str) -> bool:
        return self._loop.run(self._inner.delete(name))

    def run_now(self, name: str) -> Job:
        return self._loop.run(self._inner.run_now(name))

    def executions(self, name: str, limit: int = 50) -> builtins.list[Execution]:
        return self._loop.run(self._inner.executions(name, limit))

    def plan(self, days: int = 31, window_minutes: int = 30) -> Plan:
        return self._loop.run(self._inner.plan(days, window_minutes))


__all__ = ["Breakers", "DeadLetters", "JobTypes", "Schedules", "WorkerApi"]
