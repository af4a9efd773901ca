"""Enqueue cost split: the SDK (validation, query building, pydantic Job per returned row)
against the same RPC called with plain SQL returning only ids or a count; pgqueuer alongside."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import psycopg
from _measure import enqueue_rate
from _peer_clients import Pgqueuer
from _sj_client import Supajobs
from _sql import load
from _systems import JOB, payloads
from psycopg.types.json import Jsonb


def _raw(url: str, jobs: int, per_call: int) -> float:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(load("service_role"))
        started = time.perf_counter()
        for first in range(0, jobs, per_call):
            if per_call == 1:
                conn.execute(load("sj_enqueue_one"), {"payload": Jsonb({"n": first})}).fetchone()
            else:
                items = [{"job_type": JOB, "payload": p} for p in payloads(first, per_call)]
                conn.execute(load("sj_enqueue_batch"), {"items": Jsonb(items)}).fetchone()
        return jobs / (time.perf_counter() - started)


async def breakdown(url: str, one_jobs: int = 2000, batched_jobs: int = 10000) -> list[str]:
    sj, sj_psycopg, pgq = Supajobs(url), Supajobs(url, driver="psycopg"), Pgqueuer(url)
    cases: list[tuple[str, Callable[[], Awaitable[float]]]] = []

    async def raw_one() -> float:
        return _raw(url, one_jobs, 1)

    async def raw_batch() -> float:
        return _raw(url, batched_jobs, 1000)

    async def sdk_models() -> float:  # enqueue_many: whole Job models back
        await sj.open()
        assert sj.client is not None
        try:
            started = time.perf_counter()
            for first in range(0, batched_jobs, 1000):
                await sj.client.enqueue_many([{"job_type": JOB, "payload": p}
                                              for p in payloads(first, 1000)])
            return batched_jobs / (time.perf_counter() - started)
        finally:
            await sj.close()

    cases = [("supajobs SDK enqueue (asyncpg driver), 1 per call",
              lambda: enqueue_rate(sj, one_jobs, 1)),
             ("supajobs SDK enqueue (psycopg driver), 1 per call",
              lambda: enqueue_rate(sj_psycopg, one_jobs, 1)),
             ("supajobs SQL jobs.enqueue -> id, 1 per call", raw_one),
             ("pgqueuer Queries.enqueue, 1 per call", lambda: enqueue_rate(pgq, one_jobs, 1)),
             ("supajobs SDK enqueue_many_ids, 1,000 per call",
              lambda: enqueue_rate(sj, batched_jobs, 1000)),
             ("supajobs SDK enqueue_many (Job models), 1,000 per call", sdk_models),
             ("supajobs SQL jobs.enqueue_batch -> count, 1,000 per call", raw_batch),
             ("pgqueuer Queries.enqueue(lists), 1,000 per call",
              lambda: enqueue_rate(pgq, batched_jobs, 1000))]
    lines = []
    for label, case in cases:
        sj.reset()
        pgq.reset()
        lines.append(f"{label}: {await case():,.0f} jobs/s")
        print(lines[-1], flush=True)
    sj.reset()
    pgq.reset()
    return lines
