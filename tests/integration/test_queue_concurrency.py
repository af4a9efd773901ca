"""Concurrent claimers on separate connections: no job twice; per-type limits hold."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import psycopg

from support.rpc import rpc, service_connection


def claim_until_empty(url: str, worker: str, job_types: list[str] | None, batch: int,
                      out: list[int], barrier: threading.Barrier) -> None:
    with service_connection(url) as conn:
        barrier.wait()
        while True:
            got = rpc(conn, "claim", worker_id=worker, job_types=job_types, batch_size=batch)
            if not got:
                return
            out.extend(r["id"] for r in got)
            rpc(conn, "complete_jobs", worker_id=worker, completions=[
                {"job_id": r["id"], "attempt": r["attempts"]} for r in got])


def test_eight_claimers_never_get_the_same_job(db_url: str, svc: psycopg.Connection[Any]) -> None:
    rpc(svc, "enqueue_batch", items=[{"job_type": "file_organize"} for _ in range(800)])
    barrier = threading.Barrier(8)
    results: list[list[int]] = [[] for _ in range(8)]
    threads = [threading.Thread(target=claim_until_empty,
                                args=(db_url, f"w{i}", None, 7, results[i], barrier))
               for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    everything = [job for got in results for job in got]
    assert len(everything) == 800
    assert len(set(everything)) == 800
    assert sum(1 for got in results if got) >= 2  # work was actually shared
    executions = svc.execute("select count(*), count(distinct job_id) from jobs.job_executions").fetchone()
    assert executions == (800, 800)


def test_concurrency_limit_holds_under_concurrent_claimers(db_url: str,
                                                           svc: psycopg.Connection[Any]) -> None:
    # A type limited to 2 running at once (as an operator may set it); 6 claimers race for 20
    # jobs without completing.
    svc.execute("update jobs.job_types set concurrency_limit = 2 where name = 'receipt_process'")
    rpc(svc, "enqueue_batch", items=[{"job_type": "receipt_process"} for _ in range(20)])
    barrier = threading.Barrier(6)
    claimed: list[int] = []
    lock = threading.Lock()

    def grab(worker: str) -> None:
        with service_connection(db_url) as conn:
            barrier.wait()
            for _ in range(5):
                got = rpc(conn, "claim", worker_id=worker, batch_size=5)
                with lock:
                    claimed.extend(r["id"] for r in got)

    threads = [threading.Thread(target=grab, args=(f"w{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(claimed) == 2
    running = svc.execute(
        "select count(*) from jobs.jobs where job_type = 'receipt_process' and status = 'running'"
    ).fetchone()
    assert running == (2,)


def test_limited_and_unlimited_types_share_a_batch(svc: psycopg.Connection[Any]) -> None:
    rpc(svc, "enqueue_batch", items=[{"job_type": "email_scan"} for _ in range(3)]
        + [{"job_type": "file_organize"} for _ in range(3)])
    got = rpc(svc, "claim", worker_id="w", batch_size=10)
    assert Counter(r["job_type"] for r in got) == {"email_scan": 1, "file_organize": 3}
    first = next(r for r in got if r["job_type"] == "email_scan")
    rpc(svc, "complete_jobs", worker_id="w", completions=[{"job_id": first["id"]}])
    again = rpc(svc, "claim", worker_id="w", batch_size=10)
    assert [r["job_type"] for r in again] == ["email_scan"]
