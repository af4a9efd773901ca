"""schedules.plan(): upcoming fire times over a horizon and the pairs that compete.

Computed client-side with croniter (in each schedule's zone) from list_schedules and
list_job_types; two fires conflict when within `window_minutes` and they share a job type
or both types are heavy. The suggestion staggers the later one past the window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from croniter import croniter

from supajobs.models import JobTypeInfo, Model
from supajobs.schedule_models import Schedule


class Fire(Model):
    schedule: str
    job_type: str
    at: datetime  # in the schedule's zone


class Conflict(Model):
    first: Fire
    second: Fire
    reason: str
    suggestion: str


class Plan(Model):
    fires: list[Fire]
    conflicts: list[Conflict]


def _fires(s: Schedule, start: datetime, end: datetime) -> list[Fire]:
    it = croniter(s.cron_expression.replace("?", "*"), start.astimezone(ZoneInfo(s.timezone)))
    out: list[Fire] = []
    while (at := it.get_next(datetime)) <= end:
        out.append(Fire(schedule=s.name, job_type=s.job_type, at=at))
    return out


def _stagger(s: Schedule, minutes: int) -> str:
    fields = s.cron_expression.split()
    if len(fields) == 5 and fields[0].isdigit():
        total = int(fields[0]) + minutes
        if total < 60:
            return " ".join([str(total), *fields[1:]])
    return f"move {s.name} at least {minutes} minutes away"


def build_plan(schedules: list[Schedule], types: list[JobTypeInfo], days: int = 31,
               window_minutes: int = 30, now: datetime | None = None) -> Plan:
    start = now or datetime.now(UTC)
    end = start + timedelta(days=days)
    heavy = {t.name for t in types if t.heavy}
    by_name = {s.name: s for s in schedules}
    fires = sorted((f for s in schedules if s.enabled for f in _fires(s, start, end)),
                   key=lambda f: (f.at, f.schedule))
    conflicts: list[Conflict] = []
    seen: set[tuple[str, str]] = set()
    window = timedelta(minutes=window_minutes)
    for i, first in enumerate(fires):
        for second in fires[i + 1:]:
            if second.at - first.at > window:
                break
            pair = (first.schedule, second.schedule)
            if first.schedule == second.schedule or pair in seen:
                continue
            same = first.job_type == second.job_type
            if same or (first.job_type in heavy and second.job_type in heavy):
                seen.add(pair)
                reason = "same job type" if same else "both job types are heavy"
                conflicts.append(Conflict(first=first, second=second, reason=reason,
                                          suggestion=_stagger(by_name[second.schedule],
                                                              window_minutes)))
    return Plan(fires=fires, conflicts=conflicts)
