"""Dead letters, circuit breakers and job types: small groups of calls on the client."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from supajobs.enums import Priority
from supajobs.job_type_options import JobTypeChange, JobTypeOptions, RateLimit, differences
from supajobs.models import Breaker, BreakerTrip, DeadLetter, Job, JobTypeInfo

if TYPE_CHECKING:
    from supajobs.client import AsyncJobsClient


class AsyncDeadLetters:
    def __init__(self, client: AsyncJobsClient) -> None:
        self._client = client

    async def list(self, limit: int = 100,
                   job_type: str | None = None) -> builtins.list[DeadLetter]:
        args: dict[str, Any] = {"max_rows": limit}
        if job_type is not None:
            args["job_type"] = str(job_type)
        return await self._client.call_many("list_dead_letters", args, DeadLetter)

    async def requeue(self, job_id: int) -> Job:
        return await self._client.call_one("requeue_dead", {"job_id": job_id}, Job)

    async def purge(self, older_than: timedelta | None = None) -> int:
        """Delete dead letters (all, or those dead longer than older_than); returns how many."""
        args: dict[str, Any] = {} if older_than is None else {"older_than": older_than}
        return int(await self._client.call_raw("purge_dead_letters", args))


class AsyncBreakers:
    def __init__(self, client: AsyncJobsClient) -> None:
        self._client = client

    async def list(self) -> builtins.list[Breaker]:
        return await self._client.call_many("list_breakers", {}, Breaker)

    async def history(self, limit: int = 100) -> builtins.list[BreakerTrip]:
        return await self._client.call_many("breaker_history", {"max_rows": limit}, BreakerTrip)

    async def reset(self, scope: str, reset_by: str = "operator") -> builtins.list[BreakerTrip]:
        return await self._client.call_many(
            "reset_breaker", {"scope": scope, "reset_by": reset_by}, BreakerTrip)


class AsyncJobTypes:
    def __init__(self, client: AsyncJobsClient) -> None:
        self._client = client

    async def list(self) -> builtins.list[JobTypeInfo]:
        return await self._client.call_many("list_job_types", {}, JobTypeInfo)

    async def upsert(self, name: str, *, default_priority: Priority | str = Priority.MEDIUM,
                     max_attempts: int = 5, timeout_seconds: int = 300,
                     backoff_base_seconds: float = 10, backoff_cap_seconds: float = 3600,
                     concurrency_limit: int | None = None, heavy: bool = False,
                     rate_limits: Sequence[RateLimit | Mapping[str, Any]] | None = None,
                     rate_key: str | None = None,
                     key_concurrency: int | None = None) -> JobTypeInfo:
        windows = None if rate_limits is None else [
            w.model_dump() if isinstance(w, RateLimit) else dict(w) for w in rate_limits]
        args: dict[str, Any] = {  # the database checks them (SJ1xx names the option)
            "name": name, "default_priority": str(default_priority), "max_attempts": max_attempts,
            "timeout_seconds": timeout_seconds, "backoff_base_seconds": backoff_base_seconds,
            "backoff_cap_seconds": backoff_cap_seconds, "concurrency_limit": concurrency_limit,
            "heavy": heavy, "rate_limits": windows, "rate_key": rate_key,
            "key_concurrency": key_concurrency}
        return await self._client.call_one("upsert_job_type", args, JobTypeInfo)

    async def ensure(self, declared: Mapping[str, JobTypeOptions | None]
                     ) -> builtins.list[JobTypeChange]:
        """Make the stored types agree with the declared ones: a missing type is created
        (with defaults when declared as None); a declared type whose stored options differ is
        updated, so when two workers declare different options the last to start wins;
        a type declared as None keeps whatever is stored."""
        stored = {t.name: t for t in await self.list()}
        changes: builtins.list[JobTypeChange] = []
        for name, options in sorted(declared.items()):
            have = stored.get(name)
            diff = {} if have is None or options is None else differences(have, options)
            if have is not None and not diff:
                changes.append(JobTypeChange(name=name, action="unchanged"))
                continue
            args = (options or JobTypeOptions()).upsert_args(name)
            await self._client.call_one("upsert_job_type", args, JobTypeInfo)
            changes.append(JobTypeChange(name=name, action="created" if have is None
                                         else "updated", differences=diff))
        return changes
