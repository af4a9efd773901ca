"""Claim order: priority first, then due time, then FIFO; run_at is respected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from support.rpc import one, rpc


def ids(rows: list[dict[str, Any]]) -> list[int]:
    return [r["id"] for r in rows]


def test_priority_then_fifo(svc: psycopg.Connection[Any]) -> None:
    made = rpc(svc, "enqueue_batch", items=[
        {"job_type": "file_organize", "priority": "low"},
        {"job_type": "file_organize", "priority": "medium"},
        {"job_type": "file_organize", "priority": "critical"},
        {"job_type": "file_organize", "priority": "medium"},
        {"job_type": "file_organize", "priority": "high"},
    ])
    low, med1, crit, med2, high = ids(made)
    claimed = [ids(rpc(svc, "claim", worker_id="w", batch_size=1)) for _ in range(5)]
    assert claimed == [[crit], [high], [med1], [med2], [low]]
    assert rpc(svc, "claim", worker_id="w", batch_size=10) == []


def test_batch_claim_returns_in_claim_order(svc: psycopg.Connection[Any]) -> None:
    made = ids(rpc(svc, "enqueue_batch", items=[
        {"job_type": "file_organize", "priority": p} for p in ["low", "high", "medium", "high"]]))
    claimed = ids(rpc(svc, "claim", worker_id="w", batch_size=10))
    assert claimed == [made[1], made[3], made[2], made[0]]


def test_run_at_in_the_future_is_not_claimed(svc: psycopg.Connection[Any]) -> None:
    later = datetime.now(UTC) + timedelta(hours=1)
    future = one(svc, "enqueue", job_type="file_organize", run_at=later)
    now_job = one(svc, "enqueue", job_type="file_organize", priority="low")
    assert future["status"] == "queued"
    assert ids(rpc(svc, "claim", worker_id="w", batch_size=10)) == [now_job["id"]]
    svc.execute("reset role")  # move time: make the delayed job due
    svc.execute("update jobs.jobs set run_at = now() - interval '1 second' where id = %s", [future["id"]])
    svc.execute("set role service_role")
    assert ids(rpc(svc, "claim", worker_id="w", batch_size=10)) == [future["id"]]


def test_defaults_come_from_the_job_type(svc: psycopg.Connection[Any]) -> None:
    job = one(svc, "enqueue", job_type="backup_create")
    assert (job["priority"], job["max_attempts"], job["timeout_seconds"]) == ("critical", 5, 1800)
    custom = one(svc, "enqueue", job_type="backup_create", priority="low", max_attempts=2,
                 timeout_seconds=60)
    assert (custom["priority"], custom["max_attempts"], custom["timeout_seconds"]) == ("low", 2, 60)


def test_claim_filters_by_job_type(svc: psycopg.Connection[Any]) -> None:
    a = one(svc, "enqueue", job_type="file_organize")
    b = one(svc, "enqueue", job_type="email_scan")
    assert ids(rpc(svc, "claim", worker_id="w", job_types=["email_scan"], batch_size=5)) == [b["id"]]
    assert ids(rpc(svc, "claim", worker_id="w", job_types=["file_organize"], batch_size=5)) == [a["id"]]


def test_claim_records_a_running_execution(svc: psycopg.Connection[Any]) -> None:
    job = one(svc, "enqueue", job_type="file_organize")
    claimed = one(svc, "claim", worker_id="worker-a", batch_size=1)
    assert claimed["status"] == "running" and claimed["attempts"] == 1
    assert claimed["lease_expires_at"] <= claimed["timeout_at"]
    history = rpc(svc, "job_history", job_id=job["id"])
    assert [(h["attempt"], h["status"], h["worker_id"]) for h in history] == [(1, "running", "worker-a")]
    done = one(svc, "complete", worker_id="worker-a", job_id=job["id"], result={"ok": 1})
    assert done["status"] == "succeeded" and done["result"] == {"ok": 1}
    history = rpc(svc, "job_history", job_id=job["id"])
    assert history[0]["status"] == "completed" and history[0]["duration_ms"] >= 0
