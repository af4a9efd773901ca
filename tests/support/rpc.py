"""Call the jobs RPC functions from tests the way clients do: as service_role, named args."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

Row = dict[str, Any]


def _adapt(value: Any) -> Any:
    # dicts and lists of dicts are JSON; other lists are PostgreSQL arrays (text[], bigint[]).
    if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict) for v in value)):
        return Jsonb(value)
    return value


def rpc(conn: psycopg.Connection[Any], fn: str, **kwargs: Any) -> list[Row]:
    """Run `select * from jobs.<fn>(name => value, ...)` and return the rows as dicts."""
    args = sql.SQL(", ").join(
        sql.SQL("{} => {}").format(sql.Identifier(name), sql.Placeholder()) for name in kwargs
    )
    query = sql.SQL("select * from jobs.{}({})").format(sql.Identifier(fn), args)
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query, [_adapt(v) for v in kwargs.values()])
        return list(cur.fetchall()) if cur.description else []


def one(conn: psycopg.Connection[Any], fn: str, **kwargs: Any) -> Row:
    rows = rpc(conn, fn, **kwargs)
    assert len(rows) == 1, rows
    return rows[0]


def service_connection(url: str) -> psycopg.Connection[Any]:
    """An autocommit connection acting as Supabase's service_role."""
    conn = psycopg.connect(url, autocommit=True)
    conn.execute("set role service_role")
    return conn
