"""One snapshot of everything the page shows; a failing section reports its error alone."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from supajobs import AsyncJobsClient, SupajobsError
from supajobs_worker.dashboard import queries
from supajobs_worker.dashboard.schedule_view import schedule_row
from supajobs_worker.dashboard.summary import queue_summary

T = TypeVar("T")


@dataclass(frozen=True)
class ViewSettings:
    bucket_seconds: int = 300
    window_seconds: int = 6 * 3600
    dead_letter_rows: int = 50
    execution_rows: int = 30
    running_rows: int = 50


async def _section(work: Awaitable[T]) -> T | dict[str, str]:
    try:
        return await work
    except SupajobsError as exc:  # e.g. a missing migration: show it, keep the rest
        return {"error": f"{type(exc).__name__}: {exc.message}"}


async def _schedules(client: AsyncJobsClient, now: datetime) -> list[dict[str, Any]]:
    return [schedule_row(s, last, now) for s, last in await queries.schedules(client)]


async def _queue(client: AsyncJobsClient) -> dict[str, Any]:
    return queue_summary(await client.stats())


async def overview(client: AsyncJobsClient, view: ViewSettings,
                   now: datetime | None = None) -> dict[str, Any]:
    now = now or datetime.now(UTC)
    return {
        "generated_at": now.isoformat(),
        "queue": await _section(_queue(client)),
        "timeline": await _section(
            queries.timeline(client, view.bucket_seconds, view.window_seconds)),
        "dead_letters": await _section(queries.dead_letters(client, view.dead_letter_rows)),
        "schedules": await _section(_schedules(client, now)),
        "running": await _section(queries.running(client, view.running_rows)),
        "executions": await _section(
            queries.recent_executions(client, view.execution_rows)),
        "breakers": await _section(queries.breakers(client)),
        "rate_limits": await _section(queries.rate_limits(client)),
        "workers": await _section(queries.workers(client)),
    }
