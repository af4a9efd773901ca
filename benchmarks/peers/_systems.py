"""What the benchmark needs from each system's client side (used the way its documentation
shows): enqueue one job, enqueue a batch, seed a backlog in one transaction, and (from our SQL
files) how many jobs are still pending or done."""

from __future__ import annotations

from typing import Any, Protocol

import psycopg
from _sql import load

JOB = "bench_noop"


_POLLERS: dict[str, psycopg.Connection[Any]] = {}


def scalar_row(url: str, name: str) -> tuple[Any, ...]:
    """One row of a bench SQL file. The connection is kept: the drain poll runs every 20 ms,
    and a new connection each time (a backend fork) would take CPU from the systems measured."""
    conn = _POLLERS.get(url)
    if conn is not None and conn.closed:
        conn = None
    if conn is not None:
        try:
            return _fetch(conn, name)
        except psycopg.OperationalError:  # the server restarted (durability profiles)
            conn.close()
    conn = _POLLERS[url] = psycopg.connect(url, autocommit=True)
    return _fetch(conn, name)


def _fetch(conn: psycopg.Connection[Any], name: str) -> tuple[Any, ...]:
    cur = conn.execute(load(name))
    row = cur.fetchone() if cur.description else None
    return tuple(row) if row else ()


def payloads(first: int, count: int) -> list[dict[str, Any]]:
    return [{"n": n} for n in range(first, first + count)]


class System(Protocol):
    name: str

    async def open(self) -> None: ...
    async def enqueue_one(self, payload: dict[str, Any]) -> None: ...
    async def enqueue_many(self, payloads: list[dict[str, Any]]) -> None: ...
    async def seed(self, count: int) -> None: ...
    async def close(self) -> None: ...
    def reset(self) -> None: ...
    def pending(self) -> int: ...  # 1 while any job is unfinished, then 0
    def done(self) -> int: ...
