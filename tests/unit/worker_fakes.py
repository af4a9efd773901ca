"""Fakes for the worker's unit tests: a transport that records calls (no database)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from supajobs.client import AsyncJobsClient
from supajobs.enums import JobStatus, Priority
from supajobs.models import Job
from supajobs.retry import NO_RETRY

Responder = Callable[[Mapping[str, Any]], Any]


class RecordingTransport:
    name = "fake"

    def __init__(self, **responders: Responder) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.responders = responders

    async def call(self, fn: str, args: Mapping[str, Any]) -> Any:
        self.calls.append((fn, dict(args)))
        if fn in self.responders:
            return self.responders[fn](args)
        return {} if fn == "report_worker" else []

    async def aclose(self) -> None:
        pass

    def named(self, fn: str) -> list[dict[str, Any]]:
        return [args for name, args in self.calls if name == fn]


def client(transport: RecordingTransport) -> AsyncJobsClient:
    return AsyncJobsClient(transport, retry=NO_RETRY)


def make_job(job_id: int = 1, job_type: str = "unit_job", payload: dict[str, Any] | None = None,
             timeout: int = 60, attempts: int = 1) -> Job:
    now = datetime.now(UTC)
    return Job(id=job_id, job_type=job_type, payload=payload or {}, priority=Priority.MEDIUM,
               status=JobStatus.RUNNING, run_at=now, attempts=attempts, attempt_limit=5, max_attempts=5,
               timeout_seconds=timeout, worker_id="w", created_at=now, updated_at=now)


def job_row(job_id: int, job_type: str = "unit_job", **payload: Any) -> dict[str, Any]:
    return make_job(job_id, job_type, payload).model_dump(mode="json")
