"""RetryLaterError in a real worker against a real database, in both modes (the listen
worker's service and the webhook app): the job is postponed without spending an attempt,
its key waits for as long, other keys go on, and the worker claims again by itself when
the pause ends (docs/flow-control.md)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg.rows import dict_row
from starlette.testclient import TestClient

from supajobs import JobTypeOptions, RateLimit
from supajobs.signing import signed_headers
from supajobs_worker.app import create_app
from supajobs_worker.config import WorkerConfig
from supajobs_worker.registry import JobContext, Registry, RetryLaterError
from supajobs_worker.service import WorkerService

SECRET = "flow-webhook-secret-0123456789"
PAUSE = 1.5


def registry() -> Registry:
    found = Registry()
    options = JobTypeOptions(max_attempts=1, rate_key="company",
                             rate_limits=(RateLimit(starts=100, per_seconds=1),))

    @found.handler("freee_export", options=options)
    async def export(payload: Any, ctx: JobContext) -> dict[str, int]:
        if payload.model_dump().get("throttle") and ctx.attempt == 1:
            raise RetryLaterError(PAUSE, "freee answered 403: throttled")
        return {"attempt": ctx.attempt}

    return found


def rows(url: str, query: str) -> list[dict[str, Any]]:
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query.encode())
        return list(cur.fetchall())


def declare(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("select jobs.upsert_job_type('freee_export', max_attempts => 1,"
                     " rate_key => 'company', rate_limits => '[{\"starts\": 100, \"per_seconds\": 1}]')")


def enqueue(url: str, *payloads: dict[str, Any]) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for payload in payloads:
            conn.execute("select jobs.enqueue('freee_export', %s)", [json.dumps(payload)])


# Phase 1: A (company 1) is throttled, C (company 2) runs. Phase 2, during A's pause: B of
# company 1 must wait for the pause to end, D of company 2 must not.
PHASE_1 = ({"company": "1", "throttle": True}, {"company": "2"})
PHASE_2 = ({"company": "1"}, {"company": "2"})


def wait_until(check: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not done in time"
        time.sleep(0.05)


def succeeded(url: str, n: int) -> bool:
    return rows(url, "select count(*) filter (where status = 'succeeded') as n from jobs.jobs")[0]["n"] == n


def phase_1_done(url: str) -> bool:
    return succeeded(url, 1) and bool(rows(url, "select 1 from jobs.job_executions"
                                                " where status = 'throttled'"))


def check_outcome(url: str) -> None:
    a, c, b, d = rows(url, "select * from jobs.jobs order by id")  # in enqueue order
    assert [j["rate_key"] for j in (a, c, b, d)] == ["1", "2", "1", "2"]
    assert all(j["status"] == "succeeded" for j in (a, b, c, d))
    assert (a["attempts"], a["attempt_limit"], a["max_attempts"]) == (2, 2, 1)  # not spent
    history = rows(url, f"select attempt, status, completed_at from jobs.job_executions"
                        f" where job_id = {int(a['id'])} order by attempt")
    assert [(h["attempt"], h["status"]) for h in history] == [(1, "throttled"), (2, "completed")]
    paused_at = history[0]["completed_at"]
    assert (b["started_at"] - paused_at).total_seconds() >= PAUSE - 0.05
    assert (a["started_at"] - paused_at).total_seconds() >= PAUSE - 0.05
    assert (d["started_at"] - paused_at).total_seconds() < PAUSE - 0.3


def test_the_listen_worker_postpones_a_throttled_job(db_url: str) -> None:
    config = WorkerConfig(database_url=db_url, worker_id="listener", concurrency=4)
    declare(db_url)
    enqueue(db_url, *PHASE_1)

    async def run() -> None:
        service = WorkerService(config, registry(), mode="listen")
        await service.start()  # claims what is due (a fresh worker is a wake-up)
        try:
            await asyncio.to_thread(wait_until, lambda: phase_1_done(db_url))
            enqueue(db_url, *PHASE_2)
            service.runner.wake()  # what the NOTIFY of the new jobs does
            await asyncio.to_thread(wait_until, lambda: succeeded(db_url, 4))
        finally:
            await service.stop()
        assert service.runner.metrics.of("freee_export").postponed == 1

    asyncio.run(run())
    check_outcome(db_url)


def test_the_webhook_worker_postpones_a_throttled_job(db_url: str) -> None:
    config = WorkerConfig(database_url=db_url, worker_id="webhook", concurrency=4,
                          webhook_secrets=(SECRET,))
    declare(db_url)

    def wake(http: TestClient) -> None:
        body = json.dumps({"event": "work_due", "due": 2, "at": time.time()})
        answer = http.post("/webhook", content=body, headers={
            "Content-Type": "application/json", **signed_headers(SECRET, body)})
        assert answer.status_code == 202

    with TestClient(create_app(config, registry())) as http:
        enqueue(db_url, *PHASE_1)
        wake(http)
        wait_until(lambda: phase_1_done(db_url))
        enqueue(db_url, *PHASE_2)
        wake(http)
        wait_until(lambda: succeeded(db_url, 4))
        metrics = http.get("/metrics").text
    check_outcome(db_url)
    assert 'supajobs_jobs_postponed_total{job_type="freee_export"} 1.0' in metrics
