"""Models of the scheduling functions (jobs.job_schedules rows, plan entries)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from supajobs.enums import Overlap, Priority
from supajobs.models import Model


class Schedule(Model):
    id: UUID
    name: str
    cron_expression: str
    job_type: str
    payload: dict[str, Any]
    priority: Priority | None
    timezone: str
    overlap: Overlap
    enabled: bool
    created_at: datetime
    updated_at: datetime
    utc_expression: str | None = None
    needs_guard: bool = False
    cron_job_name: str | None = None
    last_fired_at: datetime | None = None
    last_job_id: int | None = None
