"""The relay's reads and writes on the net schema."""

from __future__ import annotations

from collections.abc import Sequence

from psycopg import AsyncConnection
from psycopg.types.json import Jsonb

from supajobs_dev.relay import queries
from supajobs_dev.relay.sender import Outcome, QueuedRequest, request_from_row

Conn = AsyncConnection[tuple[object, ...]]


async def claim(conn: Conn, limit: int) -> list[QueuedRequest]:
    """Remove up to limit committed requests from the queue and return them, oldest first."""
    async with conn.cursor() as cur:
        await cur.execute(queries.CLAIM, {"limit": limit})
        rows = await cur.fetchall()
    return sorted((request_from_row(row) for row in rows), key=lambda r: r.id)


async def record(conn: Conn, outcomes: Sequence[Outcome]) -> None:
    params = []
    for outcome in outcomes:
        row = outcome.as_params()
        row["headers"] = Jsonb(outcome.headers) if outcome.headers is not None else None
        params.append(row)
    async with conn.cursor() as cur:
        await cur.executemany(queries.RECORD, params)


async def prune(conn: Conn, ttl_seconds: float) -> None:
    await conn.execute(queries.PRUNE, {"ttl_seconds": ttl_seconds})


async def listen(conn: Conn) -> None:
    await conn.execute(queries.LISTEN)
