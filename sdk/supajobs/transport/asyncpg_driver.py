"""asyncpg transport: the calls and results of PostgresTransport (psycopg), for about half the
client CPU per call (measured in docs/decisions.md, "asyncpg driver"). Opt in with
SUPAJOBS_DB_DRIVER=asyncpg or AsyncpgTransport(dsn); the worker's listen loop keeps psycopg.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import asyncpg  # type: ignore[import-untyped]  # no type information published
from asyncpg.exceptions import DataError as ArgumentError  # type: ignore[import-untyped]
from asyncpg.exceptions import InternalClientError
from psycopg import sql

from supajobs.error_mapping import from_sqlstate
from supajobs.errors import PoolExhaustedError, SupajobsError, TransientError, ValidationError
from supajobs.functions import Returns, lookup
from supajobs.transport.postgres import build_query, check_dsn, local_role_prefix, plain_value
from supajobs.transport.slots import ConnectionSlots, SlotsTimeoutError
from supajobs.transport.waits import PoolPressure

# InternalClientError: asyncpg's own state errors (a connection caught mid-protocol)
_CONNECTION_TROUBLE = (asyncpg.PostgresError, asyncpg.InterfaceError, InternalClientError,
                       OSError, TimeoutError)
_ARGUMENT = re.compile(r"query argument \$(\d+)")


def _bad_argument(exc: Exception, names: tuple[str, ...]) -> ValidationError:
    """asyncpg refuses a value of the wrong Python type before sending; name the argument."""
    def name(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return f"argument {names[index]}" if index < len(names) else match.group(0)
    return ValidationError(_ARGUMENT.sub(name, str(exc)), field=None, code="22023")


def _reusable_after(exc: BaseException) -> bool:
    """A plain ERROR from the server (read up to ReadyForQuery) or a value refused before
    anything was sent leaves the connection idle; nothing else is known to."""
    if isinstance(exc, ArgumentError) and exc.severity is None:
        return True
    return isinstance(exc, asyncpg.PostgresError) and exc.severity == "ERROR"


def map_asyncpg_error(exc: BaseException, *, applied: bool | None = None) -> SupajobsError:
    """applied: what a connection failure means for the call (False while connecting)."""
    # sent by the server (it always sends a severity); asyncpg raises some PostgresErrors
    # itself, e.g. ConnectionDoesNotExistError (08003) when the socket closes: connection trouble
    if isinstance(exc, asyncpg.PostgresError) and exc.severity is not None:
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        return from_sqlstate(exc.sqlstate, message, details=getattr(exc, "detail", None),
                             hint=getattr(exc, "hint", None))
    if type(exc) is InternalClientError:  # refused to start (a connection left mid-protocol
        applied = False                    # by a restart): nothing was sent, safe to retry
    return TransientError(f"database connection failed: {str(exc) or type(exc).__name__}",
                          applied=applied)


class AsyncpgTransport:
    """Calls the RPC functions over up to `max_size` asyncpg connections (autocommit).

    role: `set role` on every connection (e.g. service_role, as on Supabase).
    statement_cache_size: 0 behind a transaction-mode pooler that cannot keep prepared
    statements (pgbouncer; Supabase's port 6543); the role is then set per call
    (local_role_prefix), since a session's `set role` does not follow it there.
    """

    name = "asyncpg"

    def __init__(self, dsn: str, *, max_size: int = 4, pool_timeout: float = 10.0,
                 connect_timeout: float = 10.0, role: str | None = None,
                 statement_cache_size: int = 100) -> None:
        self._dsn = check_dsn(dsn)
        pooled = statement_cache_size == 0
        self._role = None if pooled else role
        self._local_role = local_role_prefix(role) if pooled else None
        self._connect_options = {"timeout": connect_timeout,
                                 "statement_cache_size": statement_cache_size}
        self._slots: ConnectionSlots[Any] = ConnectionSlots(
            self._connect, max_size=max_size, timeout=pool_timeout)
        self._texts: dict[tuple[str, tuple[str, ...]], str] = {}  # composed once per shape

    async def _connect(self) -> Any:
        conn = await asyncpg.connect(self._dsn, **self._connect_options)
        try:
            for kind in ("json", "jsonb"):
                await conn.set_type_codec(kind, schema="pg_catalog", encoder=json.dumps,
                                          decoder=json.loads)
            if self._role:
                await conn.execute(
                    sql.SQL("set role {}").format(sql.Identifier(self._role)).as_string())
        except BaseException:
            await conn.close()
            raise
        return conn

    async def call(self, fn: str, args: Mapping[str, Any]) -> Any:
        spec = lookup(fn)
        names = tuple(args)
        text = self._texts.get((fn, names))
        if text is None:  # only identifiers from the allow-list, escaped by psycopg.sql
            text = self._texts[fn, names] = build_query(spec, list(names),
                                                        numbered=True).as_string()
        try:
            conn = await self._slots.acquire()
        except SlotsTimeoutError as exc:
            raise PoolExhaustedError(f"no database connection available: {exc}") from exc
        except _CONNECTION_TROUBLE as exc:  # while connecting: the call never ran
            raise map_asyncpg_error(exc, applied=False) from exc
        try:
            try:
                # jsonb arguments are encoded by the json codec set on each connection
                rows = await self._fetch(conn, text, [plain_value(args[n]) for n in names])
            except BaseException as exc:
                if _reusable_after(exc):
                    await self._slots.release(conn)
                else:  # mid-protocol (lost, FATAL, cancelled): never hand it out again
                    self._slots.discard(conn)
                raise
            await self._slots.release(conn)
        except ArgumentError as exc:  # asyncpg.DataError, a PostgresError (22000), is what
            # asyncpg raises for a bad argument (not exceptions._base.DataError)
            if exc.severity is None:  # refused before sending: nothing reached the database
                raise _bad_argument(exc, names) from exc
            raise map_asyncpg_error(exc) from exc  # a 22xxx error the server sent
        except _CONNECTION_TROUBLE as exc:
            raise map_asyncpg_error(exc) from exc
        if spec.returns is Returns.MANY:
            return [dict(row) for row in rows]
        if not rows:
            return None
        if spec.returns is Returns.ONE:
            return dict(rows[0])
        return rows[0][0]

    def pool_pressure(self) -> PoolPressure:
        return self._slots.waits.pressure()

    async def _fetch(self, conn: Any, text: str, values: list[Any]) -> Any:
        if self._local_role is None:
            return await conn.fetch(text, *values)
        try:
            await conn.execute(self._local_role)  # begin; set local role: one round trip
            rows = await conn.fetch(text, *values)
        except BaseException:
            try:
                await conn.execute("rollback")
            except BaseException:  # mid-protocol or gone: never hand it out again
                conn.terminate()
            raise
        await conn.execute("commit")
        return rows

    async def aclose(self) -> None:
        await self._slots.close()
