"""Pydantic v2 models of what the RPC functions return (identical for both transports)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from supajobs.enums import JobStatus, Priority
from supajobs.model_base import Model as Model  # re-exported: the base of every model
from supajobs.progress_models import JobProgress


class Job(Model):
    id: int
    job_type: str
    payload: dict[str, Any]
    priority: Priority
    status: JobStatus
    run_at: datetime
    attempts: int
    attempt_limit: int
    max_attempts: int
    timeout_seconds: int
    idempotency_key: str | None = None
    schedule_id: UUID | None = None
    pending_dependencies: int = 0
    worker_id: str | None = None
    lease_expires_at: datetime | None = None
    timeout_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: Any = None
    last_error: str | None = None
    cancel_reason: str | None = None
    cancelled_by_job: int | None = None
    created_at: datetime
    updated_at: datetime
    rate_key: str | None = None  # its flow-control bucket (docs/flow-control.md)
    trace_context: str | None = None  # the enqueue's W3C trace context (supajobs.tracing)
    progress: JobProgress | None = None  # the last report of a handler (ctx.progress)

    @property
    def current_progress(self) -> JobProgress | None:
        """The progress of this attempt (None when it reported none yet)."""
        p = self.progress
        return p if p is not None and p.attempt == self.attempts else None


class Execution(Model):
    """One attempt of a job (or one skipped schedule fire)."""

    id: UUID
    job_id: int | None
    schedule_id: UUID | None = None
    job_type: str
    attempt: int | None
    worker_id: str | None = None
    status: str
    started_at: datetime
    completed_at: datetime | None = None
    duration_ms: float | None = None
    error_message: str | None = None
    execution_metadata: dict[str, Any] = Field(default_factory=dict)


class AttemptRecord(Model):
    attempt: int | None
    status: str
    worker_id: str | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    error: str | None = None


class DeadLetter(Model):
    id: int
    job_type: str
    payload: dict[str, Any]
    priority: Priority
    attempts: int
    last_error: str | None
    died_at: datetime | None
    created_at: datetime
    schedule_id: UUID | None = None
    attempt_history: list[AttemptRecord] = Field(default_factory=list)


class QueueStat(Model):
    """One (job type, status) cell; status is None for a type without any job."""

    job_type: str
    status: JobStatus | None
    jobs: int
    oldest_due_age_seconds: float | None
    attempts_1h: int
    failures_1h: int
    failure_rate_1h: float | None
    consecutive_failures: int
    breaker_open: bool


class Breaker(Model):
    scope: str
    reason: str
    opened_at: datetime


class BreakerTrip(Model):
    id: int
    scope: str
    reason: str
    details: dict[str, Any]
    opened_at: datetime
    reset_at: datetime | None
    reset_by: str | None


class JobTypeInfo(Model):
    name: str
    default_priority: Priority
    max_attempts: int
    timeout_seconds: int
    backoff_base_seconds: float
    backoff_cap_seconds: float
    concurrency_limit: int | None
    heavy: bool
    rate_limits: list[dict[str, Any]] | None = None
    rate_key: str | None = None
    key_concurrency: int | None = None
    consecutive_failures: int
    created_at: datetime
    updated_at: datetime


class SweepReport(Model):
    reaped: int
    unblocked: int
    due: int
