"""Dependencies: wait for all, run after all succeeded, cancel with a reason when one dies."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from support.rpc import one, rpc


def finish(svc: psycopg.Connection[Any], job_id: int, ok: bool = True) -> None:
    claimed = rpc(svc, "claim", worker_id="w", batch_size=50)
    assert job_id in [c["id"] for c in claimed], claimed
    for c in claimed:
        if c["id"] != job_id:
            rpc(svc, "release_jobs", worker_id="w", job_ids=[c["id"]])
    if ok:
        one(svc, "complete", worker_id="w", job_id=job_id)
    else:
        one(svc, "fail", worker_id="w", job_id=job_id, error="boom", retryable=False)


def status(svc: psycopg.Connection[Any], job_id: int) -> str:
    return str(one(svc, "get_job", job_id=job_id)["status"])


def test_job_waits_for_all_dependencies(svc: psycopg.Connection[Any]) -> None:
    a = one(svc, "enqueue", job_type="receipt_process")
    b = one(svc, "enqueue", job_type="receipt_process")
    c = one(svc, "enqueue", job_type="file_organize", depends_on=[a["id"], b["id"]])
    assert (c["status"], c["pending_dependencies"]) == ("waiting", 2)
    finish(svc, a["id"])
    assert status(svc, c["id"]) == "waiting"
    finish(svc, b["id"])
    assert status(svc, c["id"]) == "queued"
    finish(svc, c["id"])


def test_dependency_on_a_finished_job_is_already_met(svc: psycopg.Connection[Any]) -> None:
    a = one(svc, "enqueue", job_type="receipt_process")
    finish(svc, a["id"])
    c = one(svc, "enqueue", job_type="file_organize", depends_on=[a["id"]])
    assert (c["status"], c["pending_dependencies"]) == ("queued", 0)


def test_death_cancels_dependents_transitively_with_a_reason(svc: psycopg.Connection[Any]) -> None:
    rows = rpc(svc, "enqueue_batch", items=[
        {"job_type": "receipt_process", "ref": "read"},
        {"job_type": "file_organize", "ref": "file", "depends_on": ["read"]},
        {"job_type": "duplicate_cleanup", "depends_on": ["file"]}])
    read, file, dedup = (r["id"] for r in rows)
    finish(svc, read, ok=False)
    file_job = one(svc, "get_job", job_id=file)
    assert file_job["status"] == "cancelled"
    assert file_job["cancel_reason"] == f"dependency {read} was dead"
    assert one(svc, "get_job", job_id=dedup)["cancel_reason"] == f"dependency {file} was cancelled"
    # Requeueing the dead job brings its dependents back to waiting.
    one(svc, "requeue_dead", job_id=read)
    assert status(svc, file) == "waiting" and status(svc, dedup) == "waiting"
    finish(svc, read)
    finish(svc, file)
    finish(svc, dedup)


def test_enqueue_depending_on_a_dead_job_is_cancelled_at_once(svc: psycopg.Connection[Any]) -> None:
    a = one(svc, "enqueue", job_type="receipt_process")
    finish(svc, a["id"], ok=False)
    c = one(svc, "enqueue", job_type="file_organize", depends_on=[a["id"]])
    assert c["status"] == "cancelled" and c["cancel_reason"] == f"dependency {a['id']} is dead"


def test_cancel_cascades(svc: psycopg.Connection[Any]) -> None:
    a = one(svc, "enqueue", job_type="receipt_process")
    c = one(svc, "enqueue", job_type="file_organize", depends_on=[a["id"]])
    one(svc, "cancel", job_id=a["id"], reason="user gave up")
    assert one(svc, "get_job", job_id=c["id"])["cancel_reason"] == f"dependency {a['id']} was cancelled"


@pytest.mark.parametrize("items", [
    [{"job_type": "file_organize", "ref": "x", "depends_on": ["x"]}],
    [{"job_type": "file_organize", "ref": "a", "depends_on": ["b"]},
     {"job_type": "file_organize", "ref": "b", "depends_on": ["c"]},
     {"job_type": "file_organize", "ref": "c", "depends_on": ["a"]}],
])
def test_cycles_are_rejected(svc: psycopg.Connection[Any], items: list[dict[str, Any]]) -> None:
    with pytest.raises(psycopg.Error) as err:
        rpc(svc, "enqueue_batch", items=items)
    assert err.value.sqlstate == "SJ106" and "cycle" in str(err.value)
    assert svc.execute("select count(*) from jobs.jobs").fetchone() == (0,)


def test_unknown_dependencies_are_rejected(svc: psycopg.Connection[Any]) -> None:
    with pytest.raises(psycopg.Error) as err:
        rpc(svc, "enqueue", job_type="file_organize", depends_on=[123456])
    assert err.value.sqlstate == "SJ106" and "job 123456 does not exist" in str(err.value)
    with pytest.raises(psycopg.Error) as dangling:
        rpc(svc, "enqueue_batch", items=[{"job_type": "file_organize", "depends_on": ["nope"]}])
    assert dangling.value.sqlstate == "SJ106" and "names no job in this batch" in str(dangling.value)
    assert svc.execute("select count(*) from jobs.jobs").fetchone() == (0,)


def test_sweep_repairs_a_stuck_waiting_job(svc: psycopg.Connection[Any]) -> None:
    a = one(svc, "enqueue", job_type="receipt_process")
    c = one(svc, "enqueue", job_type="file_organize", depends_on=[a["id"]])
    finish(svc, a["id"])
    svc.execute("reset role")  # simulate a lost release (e.g. restored from an old backup)
    svc.execute("update jobs.jobs set status = 'waiting', pending_dependencies = 1 where id = %s", [c["id"]])
    svc.execute("set role service_role")
    assert one(svc, "sweep")["sweep"]["unblocked"] == 1
    assert status(svc, c["id"]) == "queued"
