"""Claim latency, one job per claim, with a 100,000-job backlog (analysed, and fresh: not yet
analysed) vs. a near-empty queue.

supajobs: `jobs.claim(batch_size => 1)` timed alone (each claimed job is then completed, untimed,
so the queue does not fill with running rows); the bare SKIP LOCKED claim the same way. Also
a claim on an empty queue (returns nothing). It must stay flat as the backlog grows.

Heartbeats, the price of recovering within seconds (docs/reliability.md): every worker beats
every 2 s with the default 6 s lease, idle ones too (a beat reaps expired leases). Timed
idle (no ids) and holding 100 running jobs (a worker at concurrency 100).
"""

from __future__ import annotations

import time
from typing import Any

import psycopg
from _latency import percentiles
from _sql import load, run_script
from psycopg.types.json import Jsonb

Conn = psycopg.Connection[tuple[Any, ...]]
WORKER = "bench-claim-latency"


def _seed_supajobs(conn: Conn, jobs: int) -> None:
    for first in range(0, jobs, 10_000):
        items = [{"job_type": "bench_noop", "payload": {"n": n}}
                 for n in range(first, min(jobs, first + 10_000))]
        conn.execute(load("sj_enqueue_batch"), {"items": Jsonb(items)})


def _claims_supajobs(conn: Conn, claims: int) -> list[float]:
    times: list[float] = []
    for _ in range(claims):
        started = time.perf_counter()
        rows = conn.execute(load("sj_claim"), {"worker_id": WORKER, "batch": 1}).fetchall()
        times.append((time.perf_counter() - started) * 1000)
        if rows:
            done = [{"job_id": job_id, "attempt": attempt} for job_id, attempt in rows]
            conn.execute(load("sj_complete"), {"worker_id": WORKER, "completions": Jsonb(done)})
    return times


def _claims_bare(conn: Conn, claims: int) -> list[float]:
    times: list[float] = []
    for _ in range(claims):
        started = time.perf_counter()
        ids = [r[0] for r in conn.execute(load("bare_claim"), {"batch": 1}).fetchall()]
        times.append((time.perf_counter() - started) * 1000)
        if ids:
            conn.execute(load("bare_complete"), {"ids": ids})
    return times


def _heartbeats(conn: Conn, held: int, beats: int) -> list[float]:
    ids: list[int] = []
    if held:
        _seed_supajobs(conn, held)
        ids = [r[0] for r in conn.execute(load("sj_claim"), {"worker_id": WORKER,
                                                             "batch": held}).fetchall()]
    times: list[float] = []
    for _ in range(beats):
        started = time.perf_counter()
        conn.execute(load("sj_heartbeat"), {"worker_id": WORKER, "ids": ids}).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure(url: str, backlog: int, claims: int) -> dict[str, dict[str, float]]:
    """p50/p95/p99 ms per (system, queue state)."""
    out: dict[str, dict[str, float]] = {}
    with psycopg.connect(url, autocommit=True, prepare_threshold=0) as admin, \
            psycopg.connect(url, autocommit=True, prepare_threshold=0) as conn:
        conn.execute(load("service_role"))
        # "fresh": the backlog arrives after the statistics were taken of an empty queue (as
        # after an outage, before autovacuum analyses): the planner must not be fooled.
        for label, size, fresh in (("empty", 0, False), ("small", claims, False),
                                   ("backlog", backlog, False), ("fresh_backlog", backlog, True)):
            admin.execute(load("sj_reset"))
            admin.execute(load("bare_reset"))
            if fresh:
                run_script(admin, "vacuum")
            _seed_supajobs(conn, size)
            admin.execute(load("bare_seed"), {"jobs": size})
            if not fresh:
                run_script(admin, "vacuum")
            out[f"supajobs_{label}"] = percentiles(_claims_supajobs(conn, claims))
            out[f"bare_{label}"] = percentiles(_claims_bare(admin, claims))
        admin.execute(load("sj_reset"))
        admin.execute(load("bare_reset"))
        out["supajobs_heartbeat_idle"] = percentiles(_heartbeats(conn, 0, claims))
        out["supajobs_heartbeat_100_held"] = percentiles(_heartbeats(conn, 100, claims))
        admin.execute(load("sj_reset"))
    return out
