"""postpone_jobs: a throttled attempt moves the job later without spending an attempt and
pauses the key's bucket; the number of postponements is bounded (docs/flow-control.md)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from support.rpc import one, rpc

Conn = psycopg.Connection[Any]


def claim(svc: Conn, batch: int = 10) -> list[dict[str, Any]]:
    return rpc(svc, "claim", worker_id="w", batch_size=batch)


def postpone(svc: Conn, job: dict[str, Any], seconds: float, **extra: Any) -> dict[str, Any]:
    return one(svc, "postpone_jobs", worker_id="w", postponements=[
        {"job_id": job["id"], "attempt": job["attempts"], "seconds": seconds,
         "error": "429 Too Many Requests", **extra}])


def test_postponing_keeps_the_attempt_budget_and_pauses_the_key(svc: Conn) -> None:
    one(svc, "upsert_job_type", name="freee_sync", rate_key="company",
        rate_limits=[{"starts": 100, "per_seconds": 1}])
    rpc(svc, "enqueue_batch", items=[{"job_type": "freee_sync", "payload": {"company": c}}
                                     for c in ["1", "1", "1", "2"]])
    first = next(j for j in claim(svc, 1))
    left_before = first["attempt_limit"] - (first["attempts"] - 1)  # before this claim
    out = postpone(svc, first, 30)
    assert out["outcome"] == "postponed"
    job = one(svc, "get_job", job_id=first["id"])
    assert job["status"] == "queued"
    assert job["attempt_limit"] - job["attempts"] == left_before  # the attempt is given back
    assert 29 < (job["run_at"] - job["updated_at"]).total_seconds() <= 30
    history = rpc(svc, "job_history", job_id=first["id"])
    assert [(h["status"], h["error_message"]) for h in history] == [
        ("throttled", "429 Too Many Requests")]
    assert history[0]["execution_metadata"] == {"retry_after_seconds": 30, "rate_key": "1"}
    # Company 1's other jobs wait with it; company 2 goes on.
    assert [r["rate_key"] for r in claim(svc)] == ["2"]
    stats = [s for s in rpc(svc, "rate_limit_stats") if s["rate_key"] == "1"]
    assert stats[0]["paused_until"] == job["run_at"] and "429" in stats[0]["pause_reason"]
    wait = one(svc, "rate_limit_wait", job_types=["freee_sync"])["rate_limit_wait"]
    assert 29 < wait <= 30


def test_attempts_are_not_spent_however_often_it_is_throttled(svc: Conn) -> None:
    one(svc, "upsert_job_type", name="freee_sync", max_attempts=2,
        rate_limits=[{"starts": 100, "per_seconds": 1}])
    rpc(svc, "enqueue", job_type="freee_sync")
    for _ in range(5):
        job = claim(svc)[0]
        assert postpone(svc, job, 0)["outcome"] == "postponed"  # 0 s: due again at once
    job = one(svc, "get_job", job_id=job["id"])
    assert (job["attempts"], job["attempt_limit"], job["max_attempts"]) == (5, 7, 2)
    assert job["status"] == "queued"


def test_an_explicit_key_pauses_that_key(svc: Conn) -> None:
    one(svc, "upsert_job_type", name="mail_fetch", key_concurrency=5)
    rpc(svc, "enqueue_batch", items=[{"job_type": "mail_fetch", "rate_key": k} for k in "ab"])
    a = next(j for j in claim(svc, 1))
    assert postpone(svc, a, 60, key="b")["outcome"] == "postponed"
    paused = {s["rate_key"] for s in rpc(svc, "rate_limit_stats") if s["paused_until"]}
    assert paused == {"b"}


def test_too_many_postponements_fail_normally(svc: Conn) -> None:
    svc.execute("update jobs.settings set value = '2' where key = 'max_postponements'")
    one(svc, "upsert_job_type", name="freee_sync", rate_limits=[{"starts": 100, "per_seconds": 1}])
    rpc(svc, "enqueue", job_type="freee_sync")
    outcomes = []
    for _ in range(3):
        outcomes.append(postpone(svc, claim(svc)[0], 0)["outcome"])
        svc.execute("update jobs.jobs set run_at = now()")  # skip the retry's backoff
    assert outcomes == ["postponed", "postponed", "retry_scheduled"]
    history = rpc(svc, "job_history", job_id=1)
    assert [h["status"] for h in history] == ["throttled", "throttled", "failed"]
    assert "postponed 2 times already" in history[2]["error_message"]


def test_the_seconds_are_capped_and_a_lost_lease_is_reported(svc: Conn) -> None:
    rpc(svc, "enqueue", job_type="file_organize")
    job = claim(svc)[0]
    out = postpone(svc, job, 10**9)
    got = one(svc, "get_job", job_id=job["id"])
    assert out["outcome"] == "postponed"
    assert (got["run_at"] - got["updated_at"]).total_seconds() == pytest.approx(86400, abs=1)
    # The unlimited type has no bucket to pause.
    assert svc.execute("select count(*) from jobs.rate_buckets").fetchone() == (0,)
    assert postpone(svc, job, 1)["outcome"] == "lease_lost"  # its attempt is over


def test_bad_arguments_are_refused(svc: Conn) -> None:
    with pytest.raises(psycopg.Error, match="postponements must be a JSON array"):
        rpc(svc, "postpone_jobs", worker_id="w", postponements={"job_id": 1})
    with pytest.raises(psycopg.Error, match="worker_id is required"):
        rpc(svc, "postpone_jobs", worker_id=None, postponements=[{"job_id": 1}])
