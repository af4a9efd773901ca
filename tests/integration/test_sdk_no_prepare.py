"""SUPAJOBS_DB_PREPARE=off (behind pgbouncer / Supabase's transaction pooler): neither driver
leaves a named prepared statement on its connection; by default both do (after repeats)."""

from __future__ import annotations

from typing import Any

import pytest

from supajobs.config import direct_transport, transport_from_env
from supajobs.errors import ConfigurationError
from supajobs.transport.asyncpg_driver import AsyncpgTransport
from supajobs.transport.postgres import PostgresTransport


async def prepared_on_connection(transport: Any) -> int:
    """Named prepared statements on the connection the calls used (max_size 1)."""
    query = "select count(*) from pg_prepared_statements"
    if isinstance(transport, AsyncpgTransport):
        conn = await transport._slots.acquire()
        try:
            return int(await conn.fetchval(query))
        finally:
            await transport._slots.release(conn)
    assert isinstance(transport, PostgresTransport)
    async with transport._pool.connection() as conn:
        row = await (await conn.execute(query)).fetchone()
        assert row is not None
        return int(row[0])


@pytest.mark.parametrize("driver", ["asyncpg", "psycopg"])
@pytest.mark.parametrize("prepare", [True, False])
async def test_prepared_statements_follow_the_setting(db_url: str, driver: str,
                                                      prepare: bool) -> None:
    transport = direct_transport(db_url, role="service_role", driver=driver, max_size=1,
                                 prepare=prepare)
    try:
        for _ in range(8):  # psycopg prepares a statement from its 5th run on
            assert len(await transport.call("list_job_types", {})) > 0
        assert (await prepared_on_connection(transport) > 0) is prepare
    finally:
        await transport.aclose()


def test_the_setting_is_read_and_checked() -> None:
    env = {"SUPAJOBS_DATABASE_URL": "postgresql://u@h/db", "SUPAJOBS_DB_PREPARE": " OFF "}
    transport = transport_from_env(env)
    assert transport._connect_options["statement_cache_size"] == 0  # type: ignore[attr-defined]
    psycopg_side = transport_from_env({**env, "SUPAJOBS_DB_DRIVER": "psycopg"})
    assert psycopg_side._pool.kwargs["prepare_threshold"] is None  # type: ignore[attr-defined]
    default = transport_from_env({"SUPAJOBS_DATABASE_URL": "postgresql://u@h/db"})
    assert default._connect_options["statement_cache_size"] == 100  # type: ignore[attr-defined]
    with pytest.raises(ConfigurationError, match="SUPAJOBS_DB_PREPARE must be on or off, got 'ma"):
        transport_from_env({**env, "SUPAJOBS_DB_PREPARE": "maybe"})
