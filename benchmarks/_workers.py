"""Worker processes: each opens its own connection, waits at a barrier, then works flat out.

The clock runs from the moment every worker is connected and ready until the last one is
done, so process start-up and connecting are not measured.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
import time
from multiprocessing.synchronize import Barrier
from typing import Any

import psycopg
from _sql import load
from psycopg.types.json import Jsonb

Conn = psycopg.Connection[tuple[Any, ...]]


def _claim_complete_supajobs(conn: Conn, worker_id: str, batch: int) -> int:
    done = 0
    while True:
        rows = conn.execute(load("sj_claim"), {"worker_id": worker_id, "batch": batch}).fetchall()
        if not rows:
            return done
        completions = [{"job_id": job_id, "attempt": attempt} for job_id, attempt in rows]
        row = conn.execute(load("sj_complete"),
                           {"worker_id": worker_id, "completions": Jsonb(completions)}).fetchone()
        completed = int(row[0]) if row else 0
        if completed != len(rows):
            raise RuntimeError(f"{worker_id}: completed {completed} of {len(rows)} claimed jobs")
        done += completed


def _claim_complete_bare(conn: Conn, batch: int) -> int:
    done = 0
    while True:
        ids = [r[0] for r in conn.execute(load("bare_claim"), {"batch": batch}).fetchall()]
        if not ids:
            return done
        conn.execute(load("bare_complete"), {"ids": ids})
        done += len(ids)


def _enqueue(conn: Conn, first: int, count: int, per_call: int) -> int:
    done = 0
    for start in range(first, first + count, per_call):
        size = min(per_call, first + count - start)
        if per_call == 1:
            conn.execute(load("sj_enqueue_one"), {"payload": Jsonb({"n": start})}).fetchone()
        else:
            items = [{"job_type": "bench_noop", "payload": {"n": n}}
                     for n in range(start, start + size)]
            conn.execute(load("sj_enqueue_batch"), {"items": Jsonb(items)}).fetchone()
        done += size
    return done


def _worker(kind: str, url: str, index: int, share: tuple[int, int], batch: int,
            barrier: Barrier, results: mp.Queue[tuple[int, int | str]]) -> None:
    try:
        with psycopg.connect(url, autocommit=True, prepare_threshold=0) as conn:
            if kind != "bare":
                conn.execute(load("service_role"))
            barrier.wait()
            if kind == "claim":
                done = _claim_complete_supajobs(conn, f"bench-worker-{index}", batch)
            elif kind == "bare":
                done = _claim_complete_bare(conn, batch)
            else:
                done = _enqueue(conn, share[0], share[1], batch)
        results.put((index, done))
    except Exception as exc:  # reported to the parent, which fails the run
        barrier.abort()
        results.put((index, f"{type(exc).__name__}: {exc}"))


def run_parallel(kind: str, url: str, processes: int, batch: int, jobs: int) -> tuple[float, int]:
    """Run `processes` workers of `kind` (claim, bare, enqueue); return (seconds, jobs handled)."""
    ctx = mp.get_context("spawn")  # no inherited sockets from the parent's connections
    barrier = ctx.Barrier(processes + 1)
    results: mp.Queue[tuple[int, int | str]] = ctx.Queue()
    per = jobs // processes
    shares = [(i * per + 1, per if i < processes - 1 else jobs - i * per) for i in range(processes)]
    procs = [ctx.Process(target=_worker, args=(kind, url, i, shares[i], batch, barrier, results))
             for i in range(processes)]
    for proc in procs:
        proc.start()
    try:
        barrier.wait(timeout=120)
    except threading.BrokenBarrierError:
        raise RuntimeError(f"{kind} workers failed to start: {results.get(timeout=10)}") from None
    started = time.perf_counter()
    outcomes = [results.get(timeout=1800) for _ in procs]
    elapsed = time.perf_counter() - started
    for proc in procs:
        proc.join()
    errors = [str(done) for _, done in outcomes if isinstance(done, str)]
    if errors:
        raise RuntimeError(f"{kind} workers failed: {errors}")
    return elapsed, sum(int(done) for _, done in outcomes)
