"""plan(): fire times in the schedule's zone, and competing fires found with a suggestion."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from supajobs import JobTypeInfo, Overlap, Schedule
from supajobs.plan import build_plan

NOW = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)


def schedule(name: str, cron: str, job_type: str, zone: str = "Asia/Tokyo") -> Schedule:
    return Schedule(id=uuid4(), name=name, cron_expression=cron, job_type=job_type, payload={},
                    priority=None, timezone=zone, overlap=Overlap.SKIP, enabled=True, created_at=NOW,
                    updated_at=NOW)


def job_type(name: str, heavy: bool) -> JobTypeInfo:
    fields: dict[str, Any] = {"default_priority": "medium", "max_attempts": 5,
                              "timeout_seconds": 60, "backoff_base_seconds": 1,
                              "backoff_cap_seconds": 10, "concurrency_limit": None,
                              "consecutive_failures": 0, "created_at": NOW, "updated_at": NOW}
    return JobTypeInfo(name=name, heavy=heavy, **fields)


def test_last_day_of_month_in_tokyo() -> None:
    plan = build_plan([schedule("monthly-report", "0 1 L * *", "report_generate")], [], days=40,
                      now=NOW)
    assert [f.at.isoformat() for f in plan.fires] == ["2026-11-30T01:00:00+09:00",
                                                     "2026-12-31T01:00:00+09:00"]


def test_heavy_neighbours_conflict_and_get_staggered() -> None:
    types = [job_type("report_generate", True), job_type("backup_create", True),
             job_type("email_scan", False)]
    schedules = [schedule("report", "0 3 * * *", "report_generate"),
                 schedule("backup", "10 3 * * *", "backup_create"),
                 schedule("mail", "5 3 * * *", "email_scan")]
    plan = build_plan(schedules, types, days=2, now=NOW)
    assert [(c.first.schedule, c.second.schedule, c.reason) for c in plan.conflicts] == [
        ("report", "backup", "both job types are heavy")]
    assert plan.conflicts[0].suggestion == "40 3 * * *"
