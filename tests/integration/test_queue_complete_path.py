"""The completion path of docs/decisions.md ("Lean completion"): complete_jobs reaches a batch
through the primary key even when the statistics are stale and jobs_lease_idx is full of
entries for finished jobs; history rows no longer hang on a foreign key, and purging dead
letters still takes their history with them."""

from __future__ import annotations

import json
from typing import Any

import psycopg

from support.rpc import one, rpc


def _scans(conn: psycopg.Connection[Any], relation: str) -> int:
    row = conn.execute("select pg_stat_get_xact_numscans(%s::regclass)", [relation]).fetchone()
    assert row is not None
    return int(row[0])


def test_complete_jobs_probes_the_primary_key_only(conn: psycopg.Connection[Any]) -> None:
    # A backlog the statistics have never seen, most of it already run once: the lease index
    # still holds an entry for each of those, which only VACUUM removes.
    conn.execute("insert into jobs.jobs (job_type, priority, status, attempt_limit,"
                 " max_attempts, timeout_seconds) select 'file_organize', 'medium', 'queued',"
                 " 5, 5, 60 from generate_series(1, 3000)")
    for _ in range(20):
        done = conn.execute("select id, attempts from jobs.claim_work('old', null, 100)").fetchall()
        conn.execute("select * from jobs.complete_jobs('old', %s)",
                     [json.dumps([{"job_id": i, "attempt": a} for i, a in done])])
    batch = conn.execute("select id, attempts from jobs.claim_work('w', null, 100)").fetchall()
    with conn.transaction(force_rollback=True):
        before = {r: _scans(conn, r) for r in ("jobs.jobs", "jobs.jobs_lease_idx", "jobs.jobs_pkey")}
        outcomes = conn.execute("select * from jobs.complete_jobs('w', %s)", [json.dumps(
            [{"job_id": i, "attempt": a, "result": {"ok": i}} for i, a in batch])]).fetchall()
        assert [o for _, o in outcomes] == ["completed"] * 100
        after = {r: _scans(conn, r) - n for r, n in before.items()}
        assert after["jobs.jobs"] == 0            # no sequential scan of the table
        assert after["jobs.jobs_lease_idx"] == 0  # nor a walk over finished jobs
        assert after["jobs.jobs_pkey"] >= 1


def test_complete_jobs_still_checks_owner_attempt_and_state(svc: psycopg.Connection[Any]) -> None:
    a, b, c = (one(svc, "enqueue", job_type="file_organize")["id"] for _ in range(3))
    rpc(svc, "claim_work", worker_id="w", batch_size=2)  # a and b run; c stays queued
    outcomes = rpc(svc, "complete_jobs", worker_id="w", completions=[
        {"job_id": a, "attempt": 2}, {"job_id": b, "attempt": 1}, {"job_id": c}])
    assert [(o["job_id"], o["outcome"]) for o in outcomes] == [
        (a, "lease_lost"), (b, "completed"), (c, "lease_lost")]
    assert rpc(svc, "complete_jobs", worker_id="other", completions=[{"job_id": a}])[0][
        "outcome"] == "lease_lost"
    assert [one(svc, "get_job", job_id=i)["status"] for i in (a, b, c)] == [
        "running", "succeeded", "queued"]


def test_purging_dead_letters_takes_their_history(svc: psycopg.Connection[Any]) -> None:
    dead = one(svc, "enqueue", job_type="file_organize", max_attempts=1)["id"]
    kept = one(svc, "enqueue", job_type="file_organize")["id"]
    rpc(svc, "claim_work", worker_id="w", batch_size=2)
    one(svc, "fail", worker_id="w", job_id=dead, error="boom", retryable=False)
    rpc(svc, "complete_jobs", worker_id="w", completions=[{"job_id": kept}])
    assert one(svc, "purge_dead_letters")["purge_dead_letters"] == 1
    left = svc.execute("select job_id from jobs.job_executions order by job_id").fetchall()
    assert left == [(kept,)]  # the purged job's attempt went with it; the other stays
    assert svc.execute("select count(*) from pg_constraint where conname ="
                       " 'job_executions_job_id_fkey'").fetchone() == (0,)
