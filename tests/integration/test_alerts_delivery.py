"""Breaker trip -> one alert_notify job -> handler POSTs to Slack (mocked edge) -> a failed
delivery is retried by the real queue and then succeeds."""

from __future__ import annotations

import json
from typing import Any

import httpx
import psycopg
import pytest
import respx

from supajobs_worker.observability.alerts import (
    AlertDeliveryError,
    AlertPayload,
    make_alert_handler,
)
from supajobs_worker.registry import JobContext
from support.rpc import one, rpc

HOOK = "https://hooks.example.test/services/T1/B1/xyz"


def kill(svc: psycopg.Connection[Any], n: int) -> None:
    """n jobs claimed together, then failed one by one (later ones fail while it is open)."""
    for i in range(n):
        one(svc, "enqueue", job_type="alert_probe", payload={"n": i}, max_attempts=1)
    jobs = rpc(svc, "claim", worker_id="w", job_types=["alert_probe"], batch_size=n)
    assert len(jobs) == n
    for job in jobs:
        one(svc, "fail", worker_id="w", job_id=job["id"], attempt=job["attempts"],
            error="disk full")


def alert_jobs(conn: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    return conn.execute("select id, idempotency_key, payload, status::text from jobs.jobs"
                        " where job_type = 'alert_notify' order by id").fetchall()


@pytest.fixture
def low_threshold(conn: psycopg.Connection[Any], svc: psycopg.Connection[Any]) -> None:
    conn.execute("update jobs.settings set value = '2' where key = 'type_failure_threshold'")
    one(svc, "upsert_job_type", name="alert_probe")


def test_one_alert_per_trip(conn: psycopg.Connection[Any], svc: psycopg.Connection[Any],
                            low_threshold: None) -> None:
    kill(svc, 4)  # trips at the 2nd failure; the 3rd and 4th find it open
    [(_, key, payload, status)] = alert_jobs(conn)
    [trip] = rpc(svc, "breaker_history", max_rows=10)
    assert key == f"alert:breaker_trip:{trip['id']}" and status == "queued"
    alert = AlertPayload.model_validate(payload)
    assert (alert.scope, alert.trip_id) == ("type:alert_probe", trip["id"])
    rpc(svc, "reset_breaker", scope="type:alert_probe")
    kill(svc, 2)
    assert len(alert_jobs(conn)) == 2, "a new trip after a reset alerts again"


@respx.mock
async def test_failed_delivery_is_retried_by_the_queue(conn: psycopg.Connection[Any],
                                                       svc: psycopg.Connection[Any],
                                                       low_threshold: None) -> None:
    route = respx.post(HOOK).mock(side_effect=[httpx.Response(503, text="try later"),
                                               httpx.Response(200, text="ok")])
    kill(svc, 2)
    handler = make_alert_handler(HOOK)
    for attempt in (1, 2):
        [job] = rpc(svc, "claim", worker_id="w", job_types=["alert_notify"], batch_size=1)
        ctx = JobContext(job["id"], "alert_notify", job["attempts"], "w")
        assert job["attempts"] == attempt
        try:
            result = await handler(AlertPayload.model_validate(job["payload"]), ctx)
        except AlertDeliveryError as exc:
            out = one(svc, "fail", worker_id="w", job_id=job["id"], attempt=attempt,
                      error=str(exc), retryable=True)
            assert out["status"] == "queued", "retryable: back in the queue with backoff"
            conn.execute("update jobs.jobs set run_at = now() where id = %s", [job["id"]])
        else:
            one(svc, "complete", worker_id="w", job_id=job["id"], attempt=attempt,
                result=result)
    history = rpc(svc, "job_history", job_id=job["id"])
    assert [(h["status"], h["error_message"]) for h in history] == [
        ("failed", "alert webhook at hooks.example.test answered 503: try later"),
        ("completed", None)]
    assert route.call_count == 2
    sent = json.loads(route.calls[-1].request.content)
    assert "circuit breaker open (type:alert_probe)" in sent["text"]
