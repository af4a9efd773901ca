"""The reads behind the dashboard, each one RPC (or a few) through the SDK client."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from supajobs import AsyncJobsClient, Execution, JobProgress, Schedule
from supajobs.models import Model
from supajobs_worker.observability.limit_families import limit_name


class TimelineBucket(Model):
    bucket_start: datetime
    completed: int
    failed: int
    timed_out: int


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def execution_row(x: Execution) -> dict[str, Any]:
    return {"job_id": x.job_id, "job_type": x.job_type, "attempt": x.attempt,
            "status": x.status, "worker_id": x.worker_id, "started_at": _when(x.started_at),
            "completed_at": _when(x.completed_at), "duration_ms": x.duration_ms,
            "error": x.error_message}


async def timeline(client: AsyncJobsClient, bucket_seconds: int,
                   window_seconds: int) -> dict[str, Any]:
    rows = await client.call_many(
        "execution_timeline",
        {"bucket_seconds": bucket_seconds, "window_seconds": window_seconds}, TimelineBucket)
    return {"bucket_seconds": bucket_seconds,
            "points": [{"t": _when(r.bucket_start), "completed": r.completed,
                        "failed": r.failed, "timed_out": r.timed_out} for r in rows]}


async def recent_executions(client: AsyncJobsClient, limit: int) -> list[dict[str, Any]]:
    rows = await client.call_many("recent_executions", {"max_rows": limit}, Execution)
    return [execution_row(x) for x in rows]


async def dead_letters(client: AsyncJobsClient, limit: int) -> list[dict[str, Any]]:
    return [{"id": d.id, "job_type": d.job_type, "priority": str(d.priority),
             "attempts": d.attempts, "last_error": d.last_error, "died_at": _when(d.died_at),
             "payload_bytes": len(d.model_dump_json(include={"payload"}))}
            for d in await client.dead_letters.list(limit=limit)]


async def breakers(client: AsyncJobsClient) -> dict[str, Any]:
    open_now = await client.breakers.list()
    history = await client.breakers.history(limit=10)
    return {"open": [{"scope": b.scope, "reason": b.reason, "opened_at": _when(b.opened_at)}
                     for b in open_now],
            "history": [{"scope": t.scope, "reason": t.reason, "opened_at": _when(t.opened_at),
                         "reset_at": _when(t.reset_at), "reset_by": t.reset_by}
                        for t in history]}


async def rate_limits(client: AsyncJobsClient) -> list[dict[str, Any]]:
    return [{"job_type": s.job_type, "rate_key": s.rate_key, "limit": limit_name(s),
             "used": s.used, "remaining": s.remaining, "paused_until": _when(s.paused_until),
             "pause_reason": s.pause_reason} for s in await client.rate_limits()]


async def schedules(client: AsyncJobsClient) -> list[tuple[Schedule, Execution | None]]:
    """Each schedule with its latest execution (one call per schedule: there are few)."""
    found = await client.schedules.list()
    paired: list[tuple[Schedule, Execution | None]] = []
    for schedule in found:
        last = await client.schedules.executions(schedule.name, limit=1)
        paired.append((schedule, last[0] if last else None))
    return paired


class WorkerRow(Model):
    worker_id: str
    mode: str
    last_seen_at: datetime
    in_flight: int
    capacity: int
    rss_bytes: int | None = None
    cpu_percent: float | None = None
    accepting: bool


async def workers(client: AsyncJobsClient) -> list[dict[str, Any]]:
    rows = await client.call_many("list_workers", {}, WorkerRow)
    return [{**w.model_dump(exclude={"last_seen_at"}), "last_seen_at": _when(w.last_seen_at)}
            for w in rows]


class RunningJob(Model):
    id: int
    job_type: str
    attempt: int
    worker_id: str | None = None
    started_at: datetime | None = None
    lease_expires_at: datetime | None = None
    progress: JobProgress | None = None  # None: the handler has not reported (this attempt)


async def running(client: AsyncJobsClient, limit: int) -> list[dict[str, Any]]:
    """What runs now, oldest first, with the handler's last progress report as a fraction
    (None when unknown: the page shows an indeterminate bar) and a readable label."""
    rows = await client.call_many("running_jobs", {"max_rows": limit}, RunningJob)
    return [{"id": r.id, "job_type": r.job_type, "attempt": r.attempt, "worker_id": r.worker_id,
             "started_at": _when(r.started_at),
             "fraction": None if r.progress is None else r.progress.fraction,
             "progress": "not reported" if r.progress is None else r.progress.describe(),
             "updated_at": None if r.progress is None else _when(r.progress.updated_at)}
            for r in rows]
