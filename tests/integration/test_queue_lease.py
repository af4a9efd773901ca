"""Leases: a dead worker's job is reclaimed; a job past its timeout fails as timed out."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest

from support.rpc import one, rpc


def test_expired_lease_is_reclaimed_and_the_dead_attempt_recorded(svc: psycopg.Connection[Any]) -> None:
    job = one(svc, "enqueue", job_type="file_organize")
    first = one(svc, "claim", worker_id="doomed", batch_size=1, lease_seconds=1)
    assert first["id"] == job["id"]
    assert rpc(svc, "claim", worker_id="other", batch_size=1) == []  # lease still held
    time.sleep(1.3)  # the worker "died": no heartbeat
    # The expired attempt is failed and, the job being blameless, due again at once
    # (no backoff): the same claim reaps it and takes it.
    second = one(svc, "claim", worker_id="other", batch_size=1)
    assert (second["id"], second["attempts"]) == (job["id"], 2)
    history = rpc(svc, "job_history", job_id=job["id"])
    assert [(h["attempt"], h["status"], h["worker_id"]) for h in history] == [
        (1, "failed", "doomed"), (2, "running", "other")]
    assert "lease expired" in history[0]["error_message"]
    # The dead worker coming back cannot finish the job it lost.
    with pytest.raises(psycopg.Error) as err:
        rpc(svc, "complete", worker_id="doomed", job_id=job["id"])
    assert err.value.sqlstate == "SJ409"
    assert one(svc, "complete", worker_id="other", job_id=job["id"])["status"] == "succeeded"


def test_any_heartbeat_reaps_a_dead_workers_lease_and_wakes_the_workers(
        svc: psycopg.Connection[Any]) -> None:
    job = one(svc, "enqueue", job_type="file_organize")
    one(svc, "claim", worker_id="doomed", batch_size=1, lease_seconds=1)
    time.sleep(1.3)
    svc.execute("listen supajobs_jobs")
    assert rpc(svc, "heartbeat", worker_id="idle", job_ids=[]) == []  # an idle worker's beat
    row = svc.execute("select status, attempts, run_at <= now() as due, last_error"
                      " from jobs.jobs where id = %s", [job["id"]]).fetchone()
    assert row is not None and row[:3] == ("queued", 1, True) and "lease expired" in row[3]
    assert [n.channel for n in svc.notifies(timeout=1, stop_after=1)] == ["supajobs_jobs"]
    assert one(svc, "claim", worker_id="idle", batch_size=1)["attempts"] == 2


def test_heartbeat_extends_the_lease_and_reports_lost_jobs(svc: psycopg.Connection[Any]) -> None:
    job = one(svc, "enqueue", job_type="file_organize")
    claimed = one(svc, "claim", worker_id="w", batch_size=1, lease_seconds=5)
    beats = rpc(svc, "heartbeat", worker_id="w", job_ids=[job["id"], 424242], lease_seconds=60)
    by_id = {b["job_id"]: b for b in beats}
    assert by_id[job["id"]]["status"] == "running"
    assert by_id[job["id"]]["lease_expires_at"] > claimed["lease_expires_at"]
    assert by_id[424242]["status"] == "missing"
    assert one(svc, "heartbeat", worker_id="intruder", job_ids=[job["id"]])["status"] == "lost"
    one(svc, "cancel", job_id=job["id"], reason="operator stop")
    assert one(svc, "heartbeat", worker_id="w", job_ids=[job["id"]])["status"] == "cancelled"


def test_job_past_its_timeout_fails_as_timed_out(svc: psycopg.Connection[Any]) -> None:
    job = one(svc, "enqueue", job_type="file_organize", timeout_seconds=1, max_attempts=1)
    one(svc, "claim", worker_id="slow", batch_size=1, lease_seconds=600)
    # Heartbeats cannot stretch a lease past the job's timeout.
    beat = one(svc, "heartbeat", worker_id="slow", job_ids=[job["id"]], lease_seconds=600)
    assert beat["lease_expires_at"] is not None
    time.sleep(1.3)
    swept = one(svc, "sweep")["sweep"]
    assert swept["reaped"] == 1
    history = one(svc, "job_history", job_id=job["id"])
    assert history["status"] == "timed_out" and "timed out after 1 s" in history["error_message"]
    assert one(svc, "get_job", job_id=job["id"])["status"] == "dead"


def test_worker_reported_timeout_is_recorded_as_timed_out(svc: psycopg.Connection[Any]) -> None:
    job = one(svc, "enqueue", job_type="file_organize")
    claimed = one(svc, "claim", worker_id="w", batch_size=1)
    one(svc, "fail", worker_id="w", job_id=job["id"], error="handler exceeded 300 s",
        attempt=claimed["attempts"], timed_out=True)
    assert one(svc, "job_history", job_id=job["id"])["status"] == "timed_out"


def test_release_returns_the_job_without_spending_an_attempt(svc: psycopg.Connection[Any]) -> None:
    job = one(svc, "enqueue", job_type="file_organize", max_attempts=1)
    one(svc, "claim", worker_id="w", batch_size=1)
    assert one(svc, "release_jobs", worker_id="w", job_ids=[job["id"]])["outcome"] == "released"
    again = one(svc, "claim", worker_id="w2", batch_size=1)
    assert again["attempts"] == 2
    out = one(svc, "fail_jobs", worker_id="w2", failures=[{"job_id": job["id"], "error": "x"}])
    assert out["outcome"] == "dead"  # one real attempt allowed, the released one did not count
    statuses = [h["status"] for h in rpc(svc, "job_history", job_id=job["id"])]
    assert statuses == ["released", "failed"]


def test_cancel_rules(svc: psycopg.Connection[Any]) -> None:
    job = one(svc, "enqueue", job_type="file_organize")
    assert one(svc, "cancel", job_id=job["id"])["status"] == "cancelled"
    with pytest.raises(psycopg.Error) as err:
        rpc(svc, "cancel", job_id=job["id"])
    assert err.value.sqlstate == "SJ409" and "already cancelled" in str(err.value)
    with pytest.raises(psycopg.Error) as missing:
        rpc(svc, "get_job", job_id=999999)
    assert missing.value.sqlstate == "SJ404"
