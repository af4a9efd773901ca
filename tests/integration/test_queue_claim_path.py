"""The claim path of docs/decisions.md: claim_work's narrow rows, history rows written when an
attempt ends, the asynchronous claim commit, the index walk on an un-analysed backlog, and
the enqueue fast paths giving exactly what the general path gives."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from support.rpc import one, rpc


def executions(svc: psycopg.Connection[Any], job_id: int) -> list[tuple[int, str]]:
    rows = svc.execute("select attempt, status from jobs.job_executions where job_id = %s"
                       " order by attempt", [job_id]).fetchall()
    return [(int(a), str(s)) for a, s in rows]


def test_claim_work_returns_what_a_worker_needs_in_claim_order(svc: psycopg.Connection[Any]) -> None:
    made = rpc(svc, "enqueue_batch", items=[
        {"job_type": "file_organize", "priority": "low", "payload": {"n": 1}},
        {"job_type": "file_organize", "priority": "high", "payload": {"n": 2}}])
    rows = rpc(svc, "claim_work", worker_id="w", job_types=["file_organize"], batch_size=5)
    assert rows == [
        {"id": made[1]["id"], "job_type": "file_organize", "payload": {"n": 2}, "attempts": 1,
         "timeout_seconds": made[1]["timeout_seconds"]},
        {"id": made[0]["id"], "job_type": "file_organize", "payload": {"n": 1}, "attempts": 1,
         "timeout_seconds": made[0]["timeout_seconds"]}]
    leased = one(svc, "get_job", job_id=made[0]["id"])
    assert leased["status"] == "running" and leased["worker_id"] == "w"
    assert leased["lease_expires_at"] is not None


def test_history_row_is_written_when_the_attempt_ends(svc: psycopg.Connection[Any]) -> None:
    job = one(svc, "enqueue", job_type="file_organize")
    one(svc, "claim", worker_id="w", batch_size=1)
    assert executions(svc, job["id"]) == []  # nothing written on the claim path ...
    running = rpc(svc, "job_history", job_id=job["id"])  # ... yet the attempt shows
    assert [(h["attempt"], h["status"], h["worker_id"]) for h in running] == [(1, "running", "w")]
    assert running == rpc(svc, "job_history", job_id=job["id"])  # a stable id while it runs
    one(svc, "complete", worker_id="w", job_id=job["id"])
    assert executions(svc, job["id"]) == [(1, "completed")]
    finished = rpc(svc, "job_history", job_id=job["id"])[0]
    assert finished["started_at"] == running[0]["started_at"] and finished["worker_id"] == "w"


@pytest.mark.parametrize(("finish", "status"), [
    ("fail", "failed"), ("release", "released"), ("cancel", "cancelled")])
def test_every_way_an_attempt_ends_writes_one_row(svc: psycopg.Connection[Any], finish: str,
                                                  status: str) -> None:
    job = one(svc, "enqueue", job_type="file_organize")
    one(svc, "claim", worker_id="w", batch_size=1)
    if finish == "fail":
        one(svc, "fail", worker_id="w", job_id=job["id"], error="boom")
    elif finish == "release":
        rpc(svc, "release_jobs", worker_id="w", job_ids=[job["id"]])
    else:
        one(svc, "cancel", job_id=job["id"], reason="not needed")
    assert executions(svc, job["id"]) == [(1, status)]
    row = rpc(svc, "job_history", job_id=job["id"])[0]
    assert row["worker_id"] == "w" and row["completed_at"] is not None
    assert row["duration_ms"] is not None and row["duration_ms"] >= 0


def test_the_claim_alone_commits_without_waiting_for_the_disk(svc: psycopg.Connection[Any]) -> None:
    one(svc, "enqueue", job_type="file_organize")
    with svc.transaction(force_rollback=True):  # (the test cluster runs with it off)
        svc.execute("set local synchronous_commit = on")
        rpc(svc, "claim_work", worker_id="w", batch_size=1)
        assert svc.execute("show synchronous_commit").fetchone() == ("off",)
    with svc.transaction(force_rollback=True):  # enqueue, complete, ...: durable as ever
        svc.execute("set local synchronous_commit = on")
        one(svc, "enqueue", job_type="file_organize")
        assert svc.execute("show synchronous_commit").fetchone() == ("on",)


def test_the_claim_walks_its_index_on_an_unanalysed_backlog(conn: psycopg.Connection[Any]) -> None:
    config = conn.execute("select proconfig from pg_proc where oid = "
                          "'jobs._claim(text,text[],integer,integer)'::regprocedure").fetchone()
    assert config is not None and set(config[0]) >= {"enable_bitmapscan=off", "enable_seqscan=off"}
    conn.execute("insert into jobs.jobs (job_type, priority, status, attempt_limit, max_attempts,"
                 " timeout_seconds) select 'file_organize', 'medium', 'queued', 5, 5, 60"
                 " from generate_series(1, 5000)")  # no ANALYZE: the statistics say "empty"
    with conn.transaction(force_rollback=True):
        conn.execute("set local enable_bitmapscan = off")
        conn.execute("set local enable_seqscan = off")
        plan = conn.execute(
            "explain (format json) select j.id from jobs.jobs j where j.status = 'queued'"
            " and j.run_at <= now() and j.job_type = any(array['file_organize'])"
            " order by j.priority, j.run_at, j.id limit 100 for update skip locked").fetchone()
    assert plan is not None and "jobs_claim_idx" in str(plan[0])
    assert "Sort" not in str(plan[0])  # the index gives the order: no sort of the backlog


def test_fast_enqueue_paths_give_what_the_general_path_gives(svc: psycopg.Connection[Any]) -> None:
    fast = one(svc, "enqueue", job_type="email_scan", payload={"a": 1}, priority="high")
    general = one(svc, "enqueue", job_type="email_scan", payload={"a": 1}, priority="high",
                  idempotency_key="k-1")  # a key takes the general path
    batch = rpc(svc, "enqueue_batch", items=[{"job_type": "email_scan", "payload": {"a": 1},
                                              "priority": "high"}] * 3)
    volatile = {"id", "idempotency_key", "run_at", "created_at", "updated_at"}
    for row in (fast, *batch):
        assert {k: v for k, v in row.items() if k not in volatile} == {
            k: v for k, v in general.items() if k not in volatile}
    assert [r["id"] for r in batch] == sorted(r["id"] for r in batch)  # FIFO ids
    with pytest.raises(psycopg.Error, match="not a known job type"):
        one(svc, "enqueue", job_type="no_such_type")
    with pytest.raises(psycopg.Error, match=r"jobs\[1\]\.payload must be a JSON object"):
        rpc(svc, "enqueue_batch", items=[{"job_type": "email_scan"},
                                         {"job_type": "email_scan", "payload": [1]}])


def test_new_entry_points_reject_bad_input_like_the_old_ones(svc: psycopg.Connection[Any]) -> None:
    with pytest.raises(psycopg.Error, match="batch_size must be from 1 to 1000, got 0"):
        rpc(svc, "claim_work", worker_id="w", batch_size=0)
    with pytest.raises(psycopg.Error, match="worker_id must be a string of 1 to 200 characters"):
        rpc(svc, "claim_work", worker_id="", batch_size=1)
    with pytest.raises(psycopg.Error, match=r"jobs\[0\]\.job_type .* is not a known job type"):
        rpc(svc, "enqueue_batch_ids", items=[{"job_type": "no_such_type"}])
    with pytest.raises(psycopg.Error, match="jobs must be a JSON array"):
        svc.execute("select * from jobs.enqueue_batch_ids('{\"job_type\": \"email_scan\"}')")
    assert svc.execute("select count(*) from jobs.jobs").fetchone() == (0,)  # nothing written


def test_enqueue_batch_ids_answers_ids_in_input_order(svc: psycopg.Connection[Any]) -> None:
    ids = [r["id"] for r in rpc(svc, "enqueue_batch_ids", items=[
        {"job_type": "email_scan", "payload": {"n": n}} for n in range(3)])]
    rows = [one(svc, "get_job", job_id=i)["payload"] for i in ids]
    assert rows == [{"n": 0}, {"n": 1}, {"n": 2}] and ids == sorted(ids)
