"""Schedules as operators read them: next fire time in the schedule's own zone, last outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from supajobs import Execution, Schedule


def next_fire(cron_expression: str, timezone: str, now: datetime) -> datetime:
    """The next time the expression matches, read as wall-clock time in `timezone`.

    `now` must be aware. Raises ValueError naming the problem for a bad zone or expression.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {timezone!r}") from exc
    if not croniter.is_valid(cron_expression):
        raise ValueError(f"invalid cron expression {cron_expression!r}")
    following = croniter(cron_expression, now.astimezone(zone)).get_next(datetime)
    assert isinstance(following, datetime)
    return following.astimezone(zone)


def schedule_row(schedule: Schedule, last: Execution | None, now: datetime) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": schedule.name, "job_type": schedule.job_type,
        "cron_expression": schedule.cron_expression, "timezone": schedule.timezone,
        "enabled": schedule.enabled, "overlap": str(schedule.overlap),
        "next_fire": None, "next_fire_error": None,
        "last_fired_at": None if schedule.last_fired_at is None
        else schedule.last_fired_at.isoformat(),
        "last_outcome": None}
    if schedule.enabled:
        try:
            row["next_fire"] = next_fire(schedule.cron_expression, schedule.timezone,
                                         now).isoformat()
        except ValueError as exc:
            row["next_fire_error"] = str(exc)
    if last is not None:
        row["last_outcome"] = {
            "status": last.status, "job_id": last.job_id,
            "started_at": last.started_at.isoformat(), "duration_ms": last.duration_ms,
            "error": last.error_message}
    return row
