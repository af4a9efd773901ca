"""The dashboard and the metrics against a real database with jobs in every state."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families

from e2e.dashboard_seed import counts_by_type_and_status, seed_every_state
from supajobs import AsyncJobsClient, ValidationError
from supajobs.transport.postgres import PostgresTransport
from supajobs_worker.dashboard.overview import ViewSettings, overview
from supajobs_worker.metrics import WorkerMetrics
from supajobs_worker.resources import ResourceMonitor


@pytest.fixture
def seeded(conn: psycopg.Connection[Any], svc: psycopg.Connection[Any]) -> dict[str, list[int]]:
    return seed_every_state(conn, svc)


def client_for(db_url: str) -> AsyncJobsClient:
    return AsyncJobsClient(PostgresTransport(db_url, role="service_role"))


async def test_overview_numbers_equal_the_database(db_url: str, conn: psycopg.Connection[Any],
                                                   seeded: dict[str, list[int]]) -> None:
    async with client_for(db_url) as client:
        data = await overview(client, ViewSettings())
    truth = counts_by_type_and_status(conn)
    shown = {(r["job_type"], s): n for r in data["queue"]["rows"]
             for s, n in r["counts"].items() if n}
    assert shown == truth
    assert {s for _, s in truth} >= {"queued", "waiting", "running", "succeeded", "dead",
                                     "cancelled"}
    assert data["queue"]["oldest_due"]["job_type"] == "email_scan"
    assert data["queue"]["oldest_due"]["age_seconds"] >= 600
    assert sorted(d["id"] for d in data["dead_letters"]) == seeded["dead"]
    assert {"disk full on attempt 0", "disk full on attempt 1"} == {
        d["last_error"] for d in data["dead_letters"]}
    assert [b["scope"] for b in data["breakers"]["open"]] == ["type:backup_create"]
    [mail] = data["schedules"]
    assert mail["next_fire"].endswith("+09:00") and mail["next_fire"][11:16] == "08:00"
    points = data["timeline"]["points"]
    assert sum(p["completed"] for p in points) == 2
    assert sum(p["failed"] for p in points) == 2
    assert [r["id"] for r in data["running"]] == seeded["running"]
    assert {r["progress"] for r in data["running"]} == {"not reported"}
    executions = conn.execute("select count(*) from jobs.job_attempts").fetchone()
    assert executions is not None and len(data["executions"]) == executions[0]


async def test_timeline_rejects_bad_buckets(db_url: str, seeded: dict[str, list[int]]) -> None:
    async with client_for(db_url) as client:
        with pytest.raises(ValidationError, match="bucket_seconds must be"):
            await client.call_raw("execution_timeline", {"bucket_seconds": 1})
        with pytest.raises(ValidationError, match="window_seconds must be"):
            await client.call_raw("execution_timeline",
                                  {"bucket_seconds": 60, "window_seconds": 10})


async def test_recent_executions_newest_first_and_limited(
        db_url: str, seeded: dict[str, list[int]]) -> None:
    async with client_for(db_url) as client:
        rows = await client.call_raw("recent_executions", {"max_rows": 3})
    assert len(rows) == 3
    started = [r["started_at"] for r in rows]
    assert started == sorted(started, reverse=True)


async def test_queue_gauges_equal_the_database(db_url: str, conn: psycopg.Connection[Any],
                                               seeded: dict[str, list[int]]) -> None:
    async with client_for(db_url) as client:
        body = await WorkerMetrics().exposition(ResourceMonitor(), client)
    depth = {}
    breakers = {}
    for family in text_string_to_metric_families(body.decode()):
        for s in family.samples:
            if s.name == "supajobs_queue_depth":
                depth[(s.labels["job_type"], s.labels["status"])] = int(s.value)
            if s.name == "supajobs_breaker_open":
                breakers[s.labels["scope"]] = s.value
    assert depth == counts_by_type_and_status(conn)
    assert breakers["type:backup_create"] == 1 and breakers["global"] == 0
