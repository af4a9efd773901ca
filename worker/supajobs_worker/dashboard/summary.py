"""Queue depth by job type and status, and the oldest due job, from queue_stats rows."""

from __future__ import annotations

from typing import Any

from supajobs import JobStatus, QueueStat

STATUSES = [s.value for s in JobStatus]


def queue_summary(stats: list[QueueStat]) -> dict[str, Any]:
    """One row per job type with a count per status; totals; the oldest due job's age."""
    rows: dict[str, dict[str, Any]] = {}
    totals = dict.fromkeys(STATUSES, 0)
    oldest: dict[str, Any] | None = None
    for stat in stats:
        row = rows.setdefault(stat.job_type, {
            "job_type": stat.job_type, "counts": dict.fromkeys(STATUSES, 0), "total": 0,
            "attempts_1h": stat.attempts_1h, "failures_1h": stat.failures_1h,
            "failure_rate_1h": stat.failure_rate_1h,
            "consecutive_failures": stat.consecutive_failures,
            "breaker_open": stat.breaker_open})
        if stat.status is None:  # a type without any job
            continue
        row["counts"][stat.status.value] += stat.jobs
        row["total"] += stat.jobs
        totals[stat.status.value] += stat.jobs
        age = stat.oldest_due_age_seconds
        if age is not None and (oldest is None or age > oldest["age_seconds"]):
            oldest = {"job_type": stat.job_type, "age_seconds": age}
    attempts = sum(r["attempts_1h"] for r in rows.values())
    failures = sum(r["failures_1h"] for r in rows.values())
    return {"statuses": STATUSES, "rows": list(rows.values()), "totals": totals,
            "oldest_due": oldest, "attempts_1h": attempts, "failures_1h": failures,
            "failure_rate_1h": failures / attempts if attempts else None}
