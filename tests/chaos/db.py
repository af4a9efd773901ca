"""Test-side database access that survives a PostgreSQL restart (retries, bounded in time)."""

from __future__ import annotations

import time
from typing import Any

import psycopg

from e2e.worker_harness import install_standin, sql

SETUP = [
    "create table if not exists chaos_effects (job_id bigint primary key, n integer not null,"
    " attempts integer[] not null, workers text[] not null)",
    # the default backoff: a dead worker's jobs are due again at once without it
    "select jobs.upsert_job_type(name => 'chaos_effect', timeout_seconds => 60)",
]


def query(url: str, text: str, params: list[Any] | None = None, *,
          retry_for: float = 30.0) -> list[dict[str, Any]]:
    """sql() retried on connection errors (the database may be restarting)."""
    deadline = time.monotonic() + retry_for
    while True:
        try:
            return sql(url, text, params)
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def prepare(url: str, worker_url: str, secret: str) -> None:
    install_standin(url)
    for statement in SETUP:
        query(url, statement)
    query(url, "select jobs.configure_dispatch(%s, %s)", [worker_url, secret])


def db_now(url: str) -> Any:
    return query(url, "select clock_timestamp() as t")[0]["t"]


def unfinished(url: str) -> int:
    rows = query(url, "select count(*) as c from jobs.jobs"
                      " where status not in ('succeeded', 'dead', 'cancelled')")
    return int(rows[0]["c"])


def held_by(url: str, worker_id: str) -> list[int]:
    rows = query(url, "select id from jobs.jobs where status = 'running' and worker_id = %s",
                 [worker_id])
    return [int(r["id"]) for r in rows]
