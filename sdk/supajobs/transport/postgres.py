"""PostgreSQL transport: psycopg 3 with a small async pool, `select * from jobs.<fn>(a => $1)`."""

from __future__ import annotations

import select
from collections.abc import Mapping
from enum import Enum
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from supajobs.error_mapping import from_sqlstate
from supajobs.errors import ConfigurationError, PoolExhaustedError, SupajobsError, TransientError
from supajobs.functions import Returns, RpcFunction, lookup
from supajobs.transport.waits import PoolPressure, PoolWaits


def plain_value(value: Any) -> Any:
    """An argument as either driver takes it: enums by their value, tuples as lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


def _adapt(value: Any, cast: str | None) -> Any:
    value = plain_value(value)
    if cast == "jsonb" and value is not None:
        return Jsonb(value)
    return value


def build_query(fn: RpcFunction, names: list[str], *, numbered: bool = False) -> sql.Composed:
    """Compose the call from identifiers only; casts come from the fixed allow-list.
    numbered: $1, $2, ... placeholders (asyncpg) instead of psycopg's %s."""
    args = []
    for index, name in enumerate(names, 1):
        cast = fn.casts.get(name)
        mark = sql.SQL(f"${index}") if numbered else sql.Placeholder()  # index: an int
        arg = sql.SQL("{} => {}").format(sql.Identifier(name), mark)
        if cast is not None:
            arg = sql.SQL("{} => {}::{}").format(sql.Identifier(name), mark, sql.SQL(cast))
        args.append(arg)
    return sql.SQL("select * from {}.{}({})").format(
        sql.Identifier(fn.schema), sql.Identifier(fn.name), sql.SQL(", ").join(args))


def map_psycopg_error(exc: psycopg.Error) -> SupajobsError:
    diag = exc.diag
    message = diag.message_primary or str(exc).strip() or type(exc).__name__
    if exc.sqlstate is None:  # no server answer: connection trouble
        return TransientError(f"database connection failed: {message}", applied=None)
    return from_sqlstate(exc.sqlstate, message, details=diag.message_detail,
                         hint=diag.message_hint)


def local_role_prefix(role: str | None) -> str | None:
    """Behind a transaction pooler `set role` would stay on a shared server connection and
    miss the next transaction's: each call opens its own transaction with `set local role`
    instead (what PostgREST does), one simple-protocol round trip for both."""
    if role is None:
        return None
    return sql.SQL("begin; set local role {}").format(sql.Identifier(role)).as_string()


async def drop_if_told_something(conn: psycopg.AsyncConnection[Any]) -> None:
    """The pool's check, without a round trip: an idle connection that has something to
    read was told something, nearly always that the server (or a pooler in front of it)
    went away; handing it out would fail the next call, so it is replaced instead."""
    readable, _, _ = select.select([conn.pgconn.socket], [], [], 0)
    if readable:  # closed here, or the pool would put it back and check it again
        await conn.close()
        raise psycopg.OperationalError("the server sent something to an idle connection")


def check_dsn(dsn: str) -> str:
    if not dsn.startswith(("postgresql://", "postgres://")) and "=" not in dsn:
        raise ConfigurationError(f"not a PostgreSQL URL or DSN: {dsn!r}")
    return dsn


class PostgresTransport:
    """Calls the RPC functions over a pool of autocommit connections.

    role: `set role` on every connection (e.g. service_role, as on Supabase).
    prepare=False: behind a transaction-mode pooler (pgbouncer, Supabase's port 6543): no
    server-side prepared statements, and the role set per call (local_role_prefix).
    """

    name = "postgres"

    def __init__(self, dsn: str, *, min_size: int = 1, max_size: int = 4, prepare: bool = True,
                 pool_timeout: float = 10.0, role: str | None = None) -> None:
        check_dsn(dsn)
        self._role = role if prepare else None
        self._local_role = None if prepare else local_role_prefix(role)
        self._pool = AsyncConnectionPool(
            dsn, min_size=min_size, max_size=max_size, timeout=pool_timeout, open=False,
            # prepare=False: no server-side prepared statements (transaction-mode poolers)
            kwargs={"autocommit": True, "prepare_threshold": 5 if prepare else None},
            configure=self._configure, check=drop_if_told_something)
        self._opened = False
        self._texts: dict[tuple[str, tuple[str, ...]], str] = {}  # composed once per shape
        self.waits = PoolWaits()

    async def _configure(self, conn: psycopg.AsyncConnection[Any]) -> None:
        if self._role:
            await conn.execute(sql.SQL("set role {}").format(sql.Identifier(self._role)))

    async def call(self, fn: str, args: Mapping[str, Any]) -> Any:
        spec = lookup(fn)
        names = tuple(args)
        params = [_adapt(args[n], spec.casts.get(n)) for n in names]
        try:
            if not self._opened:
                await self._pool.open(wait=False)
                self._opened = True
            with self.waits.waiting():  # what pool.connection() does, with the wait tracked
                conn = await self._pool.getconn()
            try:  # putconn rolls back a transaction an error left failed
                async with conn.cursor(row_factory=dict_row) as cur:
                    text = self._texts.get((fn, names))
                    if text is None:  # only identifiers from the allow-list, escaped by psycopg
                        text = self._texts[fn, names] = build_query(
                            spec, list(names)).as_string(conn)
                    if self._local_role is not None:  # behind a pooler: the role per call
                        await conn.execute(self._local_role)
                    await cur.execute(text, params)
                    rows = await cur.fetchall()
                    if self._local_role is not None:
                        await conn.execute("commit")
            finally:
                await self._pool.putconn(conn)
        except PoolTimeout as exc:
            self.waits.timeouts += 1
            raise PoolExhaustedError(f"no database connection available: {exc}") from exc
        except psycopg.Error as exc:
            raise map_psycopg_error(exc) from exc
        if spec.returns is Returns.MANY:
            return rows
        if not rows:
            return None
        if spec.returns is Returns.ONE:
            return rows[0]
        return next(iter(rows[0].values()))

    def pool_pressure(self) -> PoolPressure:
        return self.waits.pressure()

    async def aclose(self) -> None:
        if self._opened:
            await self._pool.close()
            self._opened = False
