"""client.schedules: pg_cron schedules declared in a time zone (default Asia/Tokyo)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from supajobs.enums import Overlap, Priority
from supajobs.functions import Returns, RpcFunction, register
from supajobs.models import Execution, Job, JobTypeInfo
from supajobs.plan import Plan, build_plan
from supajobs.schedule_models import Schedule
from supajobs.schedule_rules import check_name, check_schedule

if TYPE_CHECKING:
    from supajobs.client import AsyncJobsClient

for _fn in (
    RpcFunction("upsert_schedule", Returns.ONE, True, {"payload": "jsonb"}),
    RpcFunction("list_schedules", Returns.MANY, True),
    RpcFunction("get_schedule", Returns.ONE, True),
    RpcFunction("set_schedule_enabled", Returns.ONE, True),
    RpcFunction("delete_schedule", Returns.SCALAR, False),
    RpcFunction("run_schedule_now", Returns.ONE, False),
    RpcFunction("schedule_executions", Returns.MANY, True),
    RpcFunction("validate_cron_expression", Returns.SCALAR, True),
):
    register(_fn)


class AsyncSchedules:
    def __init__(self, client: AsyncJobsClient) -> None:
        self._client = client

    async def upsert(self, name: str, cron: str, job_type: str,
                     payload: Mapping[str, Any] | None = None, *, timezone: str = "Asia/Tokyo",
                     overlap: Overlap | str = Overlap.SKIP,
                     priority: Priority | str | None = None, enabled: bool = True) -> Schedule:
        """Create or replace a schedule; `cron` is read in `timezone` (L = last day of month)."""
        payload = {} if payload is None else payload
        check_schedule(name, cron, payload, priority, timezone, overlap)
        args: dict[str, Any] = {
            "name": name, "cron_expression": cron, "job_type": str(job_type),
            "payload": dict(payload), "timezone": timezone, "overlap": str(overlap),
            "enabled": enabled}
        if priority is not None:
            args["priority"] = str(priority)
        return await self._client.call_one("upsert_schedule", args, Schedule)

    async def list(self) -> builtins.list[Schedule]:
        return await self._client.call_many("list_schedules", {}, Schedule)

    async def get(self, name: str) -> Schedule:
        check_name(name)
        return await self._client.call_one("get_schedule", {"name": name}, Schedule)

    async def pause(self, name: str) -> Schedule:
        """Disable: its cron.job is removed until resume()."""
        return await self._set_enabled(name, False)

    async def resume(self, name: str) -> Schedule:
        return await self._set_enabled(name, True)

    async def _set_enabled(self, name: str, enabled: bool) -> Schedule:
        check_name(name)
        return await self._client.call_one(
            "set_schedule_enabled", {"name": name, "enabled": enabled}, Schedule)

    async def delete(self, name: str) -> bool:
        check_name(name)
        return bool(await self._client.call_raw("delete_schedule", {"name": name}))

    async def run_now(self, name: str) -> Job:
        """Enqueue the schedule's job now (overlap `skip` refuses while a run is active)."""
        check_name(name)
        return await self._client.call_one("run_schedule_now", {"name": name}, Job)

    async def executions(self, name: str, limit: int = 50) -> builtins.list[Execution]:
        check_name(name)
        return await self._client.call_many(
            "schedule_executions", {"name": name, "max_rows": limit}, Execution)

    async def plan(self, days: int = 31, window_minutes: int = 30) -> Plan:
        """Upcoming fire times (in each schedule's zone) and competing pairs, over `days`."""
        schedules = await self.list()
        types = await self._client.call_many("list_job_types", {}, JobTypeInfo)
        return build_plan(schedules, types, days, window_minutes)
