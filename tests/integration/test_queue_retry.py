"""Failures: exponential backoff with jitter, capped; dead letters keep every error; requeue."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from support.rpc import one, rpc


def make_due(svc: psycopg.Connection[Any], job_id: int) -> None:
    svc.execute("reset role")
    svc.execute("update jobs.jobs set run_at = now() where id = %s", [job_id])
    svc.execute("set role service_role")


def fail_once(svc: psycopg.Connection[Any], job_id: int, error: str) -> dict[str, Any]:
    claimed = one(svc, "claim", worker_id="w", batch_size=1)
    assert claimed["id"] == job_id
    return one(svc, "fail_jobs", worker_id="w", failures=[
        {"job_id": job_id, "attempt": claimed["attempts"], "error": error}])


def test_backoff_grows_exponentially_with_jitter_and_cap(svc: psycopg.Connection[Any]) -> None:
    one(svc, "upsert_job_type", name="flaky", max_attempts=5, backoff_base_seconds=10,
        backoff_cap_seconds=35)
    job = one(svc, "enqueue", job_type="flaky")
    expected_full = [10, 20, 35, 35]  # base * 2^(n-1), capped at 35
    for attempt, full in enumerate(expected_full, start=1):
        outcome = fail_once(svc, job["id"], f"boom {attempt}")
        assert outcome["outcome"] == "retry_scheduled"
        delay = svc.execute("select extract(epoch from run_at - now()) from jobs.jobs where id = %s",
                            [job["id"]]).fetchone()
        assert delay is not None
        # jitter 0.5: the delay lies in (full/2, full]
        assert full * 0.5 - 1 <= float(delay[0]) <= full + 0.01, (attempt, delay)
        make_due(svc, job["id"])
    assert fail_once(svc, job["id"], "boom 5")["outcome"] == "dead"


def test_backoff_formula_is_pure_and_capped(svc: psycopg.Connection[Any]) -> None:
    rows = svc.execute(
        "select n, jobs.backoff_seconds(2, 100, n, 0.5, 0), jobs.backoff_seconds(2, 100, n, 0.5, 0.999)"
        " from generate_series(1, 10) n").fetchall()
    for n, longest, shortest in rows:
        assert longest == min(100, 2 * 2 ** (n - 1))
        assert longest * 0.5 < shortest <= longest


def test_dead_letter_keeps_every_attempt_and_requeue_brings_it_back(svc: psycopg.Connection[Any]) -> None:
    one(svc, "upsert_job_type", name="fragile", max_attempts=3, backoff_base_seconds=1,
        backoff_cap_seconds=1)
    job = one(svc, "enqueue", job_type="fragile", payload={"file": "r.pdf"})
    for attempt in range(1, 4):
        fail_once(svc, job["id"], f"error #{attempt}")
        make_due(svc, job["id"])
    dead = one(svc, "list_dead_letters")
    assert dead["id"] == job["id"] and dead["last_error"] == "error #3"
    assert [(a["attempt"], a["status"], a["error"]) for a in dead["attempt_history"]] == [
        (1, "failed", "error #1"), (2, "failed", "error #2"), (3, "failed", "error #3")]

    back = one(svc, "requeue_dead", job_id=job["id"])
    assert back["status"] == "queued"
    claimed = one(svc, "claim", worker_id="w", batch_size=1)
    assert claimed["attempts"] == 4
    one(svc, "complete", worker_id="w", job_id=job["id"])
    assert rpc(svc, "list_dead_letters") == []
    assert len(rpc(svc, "job_history", job_id=job["id"])) == 4


def test_non_retryable_failure_dies_at_once(svc: psycopg.Connection[Any]) -> None:
    job = one(svc, "enqueue", job_type="file_organize")
    claimed = one(svc, "claim", worker_id="w", batch_size=1)
    out = one(svc, "fail_jobs", worker_id="w", failures=[
        {"job_id": job["id"], "attempt": claimed["attempts"], "error": "bad payload", "retryable": False}])
    assert out["outcome"] == "dead"


def test_requeue_of_a_live_job_is_a_conflict(svc: psycopg.Connection[Any]) -> None:
    job = one(svc, "enqueue", job_type="file_organize")
    with pytest.raises(psycopg.Error) as err:
        rpc(svc, "requeue_dead", job_id=job["id"])
    assert err.value.sqlstate == "SJ409"
    with pytest.raises(psycopg.Error) as missing:
        rpc(svc, "requeue_dead", job_id=987654)
    assert missing.value.sqlstate == "SJ404"


def test_purge_dead_letters(svc: psycopg.Connection[Any]) -> None:
    job = one(svc, "enqueue", job_type="file_organize", max_attempts=1)
    fail_once(svc, job["id"], "x")
    assert one(svc, "purge_dead_letters", older_than="1 hour")["purge_dead_letters"] == 0
    assert one(svc, "purge_dead_letters")["purge_dead_letters"] == 1
    assert rpc(svc, "list_dead_letters") == []
