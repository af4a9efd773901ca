"""A scripted SDK transport for dashboard and metrics unit tests (no database).

Rows are shaped like the RPC functions' JSON (what PostgREST returns); the integration and
browser tests check the same code against the real functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from supajobs import AsyncJobsClient, RetryPolicy

NOW = "2026-11-28T10:00:00+00:00"


def stat(job_type: str, status: str | None, jobs: int, oldest: float | None = None,
         attempts: int = 0, failures: int = 0, breaker: bool = False) -> dict[str, Any]:
    return {"job_type": job_type, "status": status, "jobs": jobs,
            "oldest_due_age_seconds": oldest, "attempts_1h": attempts, "failures_1h": failures,
            "failure_rate_1h": failures / attempts if attempts else None,
            "consecutive_failures": failures, "breaker_open": breaker}


def execution(job_id: int, status: str, error: str | None = None) -> dict[str, Any]:
    return {"id": f"00000000-0000-0000-0000-{job_id:012d}", "job_id": job_id,
            "job_type": "email_scan", "attempt": 1, "worker_id": "w1", "status": status,
            "started_at": NOW, "completed_at": NOW, "duration_ms": 12.5, "error_message": error,
            "execution_metadata": {}}


def default_responses() -> dict[str, Any]:
    return {
        "queue_stats": [stat("email_scan", "queued", 3, oldest=42.0, attempts=10, failures=7),
                        stat("email_scan", "dead", 2, attempts=10, failures=7),
                        stat("backup_create", "succeeded", 5), stat("report_generate", None, 0)],
        "execution_timeline": [{"bucket_start": NOW, "completed": 4, "failed": 1,
                                "timed_out": 0}],
        "list_dead_letters": [{"id": 9, "job_type": "email_scan", "payload": {"secret": "x"},
                               "priority": "medium", "attempts": 5, "last_error": "boom",
                               "died_at": NOW, "created_at": NOW, "attempt_history": []}],
        "list_schedules": [], "schedule_executions": [],
        "recent_executions": [execution(9, "failed", "boom"), execution(8, "completed")],
        "list_breakers": [{"scope": "type:email_scan", "reason": "25 failures",
                           "opened_at": NOW}],
        "breaker_history": [], "list_workers": [],
        "running_jobs": [
            {"id": 21, "job_type": "receipt_process", "attempt": 2, "worker_id": "w1",
             "started_at": NOW, "lease_expires_at": NOW,
             "progress": {"attempt": 2, "fraction": 0.4, "current": 4, "total": 10,
                          "message": "page 4", "updated_at": NOW}},
            {"id": 22, "job_type": "backup_create", "attempt": 1, "worker_id": "w1",
             "started_at": NOW, "lease_expires_at": NOW, "progress": None}],
        "rate_limit_stats": [
            {"job_type": "email_scan", "rate_key": "inbox", "limit_kind": "starts",
             "capacity": 5, "per_seconds": 1.0, "used": 5, "remaining": 0,
             "paused_until": NOW, "pause_reason": "429 Too Many Requests"},
            {"job_type": "email_scan", "rate_key": "inbox", "limit_kind": "concurrency",
             "capacity": 2, "per_seconds": None, "used": 1, "remaining": 1,
             "paused_until": NOW, "pause_reason": "429 Too Many Requests"}],
        "requeue_dead": {"id": 9, "job_type": "email_scan", "payload": {}, "priority": "medium",
                         "status": "queued", "run_at": NOW, "attempts": 5, "attempt_limit": 10,
                         "max_attempts": 5, "timeout_seconds": 60, "created_at": NOW,
                         "updated_at": NOW},
        "purge_dead_letters": 2,
        "reset_breaker": [{"id": 1, "scope": "type:email_scan", "reason": "25 failures",
                           "details": {}, "opened_at": NOW, "reset_at": NOW,
                           "reset_by": "dashboard"}],
    }


class FakeTransport:
    """Answers each allow-listed function from `responses` (a value, an exception to raise,
    or a callable of the arguments) and records every call."""

    name = "fake"

    def __init__(self, responses: Mapping[str, Any] | None = None) -> None:
        self.responses: dict[str, Any] = {**default_responses(), **(responses or {})}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.closed = False

    async def call(self, fn: str, args: Mapping[str, Any]) -> Any:
        self.calls.append((fn, dict(args)))
        answer = self.responses[fn]
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, Callable):  # type: ignore[arg-type]
            return answer(dict(args))
        return answer

    async def aclose(self) -> None:
        self.closed = True


def fake_client(transport: FakeTransport) -> AsyncJobsClient:
    return AsyncJobsClient(transport, retry=RetryPolicy(attempts=1))
