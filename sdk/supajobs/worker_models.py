"""What the worker protocol's calls answer per job (heartbeat, complete/fail/release)."""

from __future__ import annotations

from datetime import datetime

from supajobs.model_base import Model


class LeaseState(Model):
    """heartbeat(): running (extended), lost, cancelled or missing."""

    job_id: int
    status: str
    lease_expires_at: datetime | None


class Outcome(Model):
    """complete_jobs / fail_jobs / release_jobs: what happened to each job."""

    job_id: int
    outcome: str
    next_run_at: datetime | None = None
