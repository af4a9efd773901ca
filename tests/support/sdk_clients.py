"""SDK clients for integration tests: direct PostgreSQL, and PostgREST through PostgrestMock."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
import respx
from pydantic import BaseModel

from supajobs import AsyncJobsClient, RetryPolicy
from supajobs.transport.postgres import PostgresTransport
from supajobs.transport.postgrest import PostgrestTransport
from supajobs_dev.cluster import Cluster
from support.postgrest_mock import BASE_URL, SERVICE_KEY, PostgrestMock

FAST_RETRY = RetryPolicy(attempts=3, initial_wait=0, max_wait=0, jitter=0)
_twin_counter = itertools.count()


def postgres_client(db_url: str, retry: RetryPolicy = FAST_RETRY) -> AsyncJobsClient:
    return AsyncJobsClient(PostgresTransport(db_url, role="service_role"), retry=retry)


@asynccontextmanager
async def postgrest_client(db_url: str, retry: RetryPolicy = FAST_RETRY,
                           key: str = SERVICE_KEY
                           ) -> AsyncIterator[tuple[AsyncJobsClient, PostgrestMock]]:
    mock = PostgrestMock(db_url)
    try:
        with respx.mock(assert_all_called=False) as router:
            mock.install(router)
            client = AsyncJobsClient(PostgrestTransport(BASE_URL, key), retry=retry)
            try:
                yield client, mock
            finally:
                await client.aclose()
    finally:
        mock.close()


def clone_database(cluster: Cluster, source_url: str) -> str:
    """A copy of source (no one may be connected to it); dropped by the caller's cluster."""
    source = psycopg.conninfo.conninfo_to_dict(source_url)["dbname"]
    name = f"twin_{next(_twin_counter)}"
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute(f"create database {name} template {source} strategy file_copy")
    return cluster.url(name)


def drop_database(cluster: Cluster, url: str) -> None:
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute(f"drop database if exists {name} with (force)")


def _mask(value: Any) -> Any:
    if isinstance(value, datetime | UUID):
        return "<set>"  # taken from now() / gen_random_uuid(): differs between two databases
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def comparable(result: Any) -> Any:
    """A mutation's result with now()-times and random UUIDs reduced to set/unset."""
    if isinstance(result, BaseModel):
        dumped = result.model_dump()
        for volatile in ("duration_ms", "oldest_due_age_seconds"):  # measured at call time
            if volatile in dumped:
                dumped[volatile] = dumped[volatile] is not None
        return _mask(dumped)
    if isinstance(result, list):
        return [comparable(r) for r in result]
    return result
