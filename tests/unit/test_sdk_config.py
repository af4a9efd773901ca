"""from_env picks the transport, or says clearly what is missing."""

from __future__ import annotations

import pytest

from supajobs import AsyncJobsClient, ConfigurationError
from supajobs.config import transport_from_env
from supajobs.transport.asyncpg_driver import AsyncpgTransport
from supajobs.transport.postgres import PostgresTransport
from supajobs.transport.postgrest import PostgrestTransport


def test_supabase_env_selects_postgrest() -> None:
    client = AsyncJobsClient.from_env({"SUPABASE_URL": "https://p.supabase.co/",
                                       "SUPABASE_SERVICE_ROLE_KEY": "k"})
    assert isinstance(client.transport, PostgrestTransport)
    assert client.transport.rest_url == "https://p.supabase.co/rest/v1"


def test_database_url_selects_postgres_over_asyncpg() -> None:
    client = AsyncJobsClient.from_env({"SUPAJOBS_DATABASE_URL": "postgresql://u@h/db"})
    assert isinstance(client.transport, AsyncpgTransport)


@pytest.mark.parametrize(("env", "message"), [
    ({}, "no supajobs connection configured"),
    ({"SUPABASE_URL": "https://p.supabase.co"}, "SUPABASE_SERVICE_ROLE_KEY is not"),
    ({"SUPABASE_SERVICE_ROLE_KEY": "k"}, "SUPABASE_URL is not"),
    ({"SUPABASE_URL": "p.supabase.co", "SUPABASE_SERVICE_ROLE_KEY": "k"}, "must be an http"),
    ({"SUPAJOBS_DATABASE_URL": "mysql://x"}, "not a PostgreSQL URL"),
])
def test_missing_or_bad_configuration(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        AsyncJobsClient.from_env(env)


@pytest.mark.parametrize(("driver", "kind"), [
    (None, AsyncpgTransport), ("", AsyncpgTransport), ("psycopg", PostgresTransport),
    (" Psycopg ", PostgresTransport), ("asyncpg", AsyncpgTransport), (" AsyncPG ", AsyncpgTransport),
])
def test_db_driver_picks_the_direct_transport(driver: str | None, kind: type) -> None:
    env = {"SUPAJOBS_DATABASE_URL": "postgresql://u@h/db", "SUPAJOBS_DB_ROLE": "service_role"}
    if driver is not None:
        env["SUPAJOBS_DB_DRIVER"] = driver
    transport = transport_from_env(env)
    assert type(transport) is kind
    assert transport._role == "service_role"  # type: ignore[union-attr]


def test_unknown_db_driver_is_named() -> None:
    with pytest.raises(ConfigurationError, match=r"SUPAJOBS_DB_DRIVER.*'mysql'"):
        transport_from_env({"SUPAJOBS_DATABASE_URL": "postgresql://u@h/db",
                            "SUPAJOBS_DB_DRIVER": "mysql"})
