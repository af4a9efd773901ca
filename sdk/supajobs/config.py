"""Pick and build a transport from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping

from supajobs.errors import ConfigurationError
from supajobs.transport.asyncpg_driver import AsyncpgTransport
from supajobs.transport.base import Transport
from supajobs.transport.postgres import PostgresTransport
from supajobs.transport.postgrest import PostgrestTransport

ENV_HELP = ("set SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (PostgREST) "
            "or SUPAJOBS_DATABASE_URL (direct PostgreSQL)")


def driver_setting(raw: str | None) -> str:
    """SUPAJOBS_DB_DRIVER: asyncpg (the default: about half the client CPU per call,
    docs/decisions.md) or psycopg. Both give the same results and errors."""
    name = (raw or "").strip().lower() or "asyncpg"
    if name not in ("asyncpg", "psycopg"):
        raise ConfigurationError(f"SUPAJOBS_DB_DRIVER must be asyncpg or psycopg, got {raw!r}")
    return name


def prepare_setting(raw: str | None) -> bool:
    """SUPAJOBS_DB_PREPARE: on (default) or off, for transaction-mode poolers (pgbouncer,
    Supabase's port 6543), which keep neither server-side prepared statements nor a
    session's `set role` (off: no prepared statements, the role set in each call's own
    transaction)."""
    value = (raw or "").strip().lower() or "on"
    if value not in ("on", "off", "true", "false", "1", "0"):
        raise ConfigurationError(f"SUPAJOBS_DB_PREPARE must be on or off, got {raw!r}")
    return value in ("on", "true", "1")


def direct_transport(dsn: str, *, role: str | None = None, driver: str | None = None,
                     max_size: int = 4, prepare: bool = True) -> Transport:
    """A direct PostgreSQL transport with the driver of driver_setting()."""
    if driver_setting(driver) == "asyncpg":
        return AsyncpgTransport(dsn, role=role, max_size=max_size,
                                statement_cache_size=100 if prepare else 0)
    return PostgresTransport(dsn, role=role, max_size=max_size, prepare=prepare)


def transport_from_env(env: Mapping[str, str] | None = None) -> Transport:
    """SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY -> PostgREST; SUPAJOBS_DATABASE_URL -> direct.

    When both are set, PostgREST wins (it is what a Supabase project exposes).
    SUPAJOBS_DB_ROLE optionally names a role to `set role` to on direct connections;
    SUPAJOBS_DB_DRIVER picks their driver: asyncpg (default) or psycopg; SUPAJOBS_DB_PREPARE=off
    is for a transaction-mode pooler (no prepared statements, the role set per call).
    """
    env = os.environ if env is None else env
    url = env.get("SUPABASE_URL", "").strip()
    key = env.get("SUPABASE_SERVICE_ROLE_KEY", "").strip()
    dsn = env.get("SUPAJOBS_DATABASE_URL", "").strip()
    if url or key:
        if not url:
            raise ConfigurationError(
                f"SUPABASE_SERVICE_ROLE_KEY is set but SUPABASE_URL is not; {ENV_HELP}")
        if not key:
            raise ConfigurationError(
                f"SUPABASE_URL is set but SUPABASE_SERVICE_ROLE_KEY is not; {ENV_HELP}")
        return PostgrestTransport(url, key)
    if dsn:
        return direct_transport(dsn, role=env.get("SUPAJOBS_DB_ROLE") or None,
                                driver=env.get("SUPAJOBS_DB_DRIVER"),
                                prepare=prepare_setting(env.get("SUPAJOBS_DB_PREPARE")))
    raise ConfigurationError(f"no supajobs connection configured: {ENV_HELP}")
