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


def transport_from_env(env: Mapping[str, str] | None = None) -> Transport:
    """SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY -> PostgREST; SUPAJOBS_DATABASE_URL -> psycopg.

    When both are set, PostgREST wins (it is what a Supabase project exposes).
    SUPAJOBS_DB_ROLE optionally names a role to `set role` to on direct connections;
    SUPAJOBS_DB_DRIVER picks their driver: psycopg (default) or asyncpg.
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
        role = env.get("SUPAJOBS_DB_ROLE") or None
        driver = env.get("SUPAJOBS_DB_DRIVER", "").strip().lower() or "psycopg"
        if driver == "asyncpg":
            return AsyncpgTransport(dsn, role=role)
        if driver != "psycopg":
            raise ConfigurationError(
                f"SUPAJOBS_DB_DRIVER must be psycopg or asyncpg, got {driver!r}")
        return PostgresTransport(dsn, role=role)
    raise ConfigurationError(f"no supajobs connection configured: {ENV_HELP}")
