"""What flow control reports (docs/flow-control.md): one row per bucket and limit."""

from __future__ import annotations

from datetime import datetime

from supajobs.models import Model


class RateLimitStat(Model):
    """A limit of one (job type, rate key) bucket now. limit_kind "starts": the starts within
    the last per_seconds; "concurrency": the key's running jobs. rate_key "" is the bucket of
    jobs without a key. paused_until: a handler reported throttling (RetryLaterError)."""

    job_type: str
    rate_key: str
    limit_kind: str
    capacity: int
    per_seconds: float | None
    used: int
    remaining: int
    paused_until: datetime | None = None
    pause_reason: str | None = None
