"""PostgreSQL transport: psycopg 3 with a small async pool, `select * from jobs.<fn>(a => $1)`."""

from __future__ import annotations

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


def check_dsn(dsn: str) -> str:
    if not dsn.startswith(("postgresql://", "postgres://")) and "=" not in dsn:
        raise ConfigurationError(f"not a PostgreSQL URL or DSN: {dsn!r}")
    return dsn


class PostgresTransport:
    """Calls the RPC functions over a pool of autocommit connections.

    role: `set role` on every connection (e.g. service_role, as on Supabase).
    """

    name = "postgres"

    def __init__(self, dsn: str, *, min_size: int = 1, max_size: int = 4, prepare: bool = True,
                 pool_timeout: float = 10.0, role: str | None = None) -> None:
        check_dsn(dsn)
        self._role = role
        self._pool = AsyncConnectionPool(
            dsn, min_size=min_size, max_size=max_size, timeout=pool_timeout, open=False,
            # prepare=False: no server-side prepared statements (transaction-mode poolers)
            kwargs={"autocommit": True, "prepare_threshold": 5 if prepare else None},
            configure=self._configure)
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
            try:
                async with conn.cursor(row_factory=dict_row) as cur:
                    text = self._texts.get((fn, names))
                    if text is None:  # only identifiers from the allow-list, escaped by psycopg
                        text = self._texts[fn, names] = build_query(
                            spec, list(names)).as_string(conn)
                    await cur.execute(text, params)
                    rows = await cur.fetchall()
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
