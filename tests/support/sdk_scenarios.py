"""Database states the SDK transport tests start from (built with the real RPC functions)."""

from __future__ import annotations

from typing import Any

import psycopg

from support.rpc import one, rpc


def queued(conn: psycopg.Connection[Any], job_type: str = "email_scan", **kw: Any) -> int:
    return int(one(conn, "enqueue", job_type=job_type, payload={"n": 1}, **kw)["id"])


def running(conn: psycopg.Connection[Any], worker: str = "w1",
            job_type: str = "email_scan") -> int:
    job_id = queued(conn, job_type)
    claimed = rpc(conn, "claim", worker_id=worker, job_types=[job_type])
    assert [c["id"] for c in claimed] == [job_id]
    return job_id


def succeeded(conn: psycopg.Connection[Any], job_type: str = "file_organize") -> int:
    job_id = running(conn, "w1", job_type)
    one(conn, "complete", worker_id="w1", job_id=job_id, result={"ok": True})
    return job_id


def dead(conn: psycopg.Connection[Any], job_type: str = "file_organize") -> int:
    job_id = int(one(conn, "enqueue", job_type=job_type, payload={"f": "x"}, max_attempts=1)["id"])
    rpc(conn, "claim", worker_id="w1", job_types=[job_type])
    one(conn, "fail", worker_id="w1", job_id=job_id, error="broken", retryable=False)
    return job_id


def tripped(conn: psycopg.Connection[Any], scope: str = "type:email_scan") -> None:
    # _trip is internal (not granted to service_role): the superuser opens the breaker.
    conn.execute("reset role")
    conn.execute("select jobs._trip(%s, 'tripped by test', '{\"n\": 1}')", [scope])
    conn.execute("set role service_role")


def standard_schedules(conn: psycopg.Connection[Any]) -> None:
    conn.execute("select receipts.install_standard_schedules()")  # the receipt app's schedules


def mixed(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """A bit of everything: queued, running, succeeded, dead, a breaker trip, schedules."""
    ids = {"queued": queued(conn, "backup_create"), "running": running(conn, "w2", "email_scan"),
           "succeeded": succeeded(conn), "dead": dead(conn)}
    tripped(conn)
    standard_schedules(conn)
    ids["scheduled"] = int(one(conn, "run_schedule_now", name="daily-cleanup")["id"])
    rpc(conn, "claim", worker_id="w3", job_types=["file_organize"])  # gives it an execution
    return ids
