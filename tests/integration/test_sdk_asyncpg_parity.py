"""AsyncpgTransport gives what PostgresTransport (psycopg) gives, over the whole API: the same
write results and resulting state on two identical databases, the same reads of one state, and
the same exception (type, code, field, message) for every database error."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from integration.test_sdk_errors_both import CASES
from integration.test_sdk_transports_read import READS
from integration.test_sdk_transports_write import WRITES
from supajobs import AsyncJobsClient, PermissionDeniedError, ValidationError
from supajobs.transport.asyncpg_driver import AsyncpgTransport
from supajobs.transport.postgres import PostgresTransport
from supajobs_dev.cluster import Cluster
from support.rpc import service_connection
from support.sdk_clients import (
    FAST_RETRY,
    clone_database,
    comparable,
    drop_database,
    postgres_client,
)
from support.sdk_scenarios import dead, mixed, succeeded


def asyncpg_client(db_url: str) -> AsyncJobsClient:
    return AsyncJobsClient(AsyncpgTransport(db_url, role="service_role"), retry=FAST_RETRY)


@pytest.mark.parametrize("name", sorted(WRITES))
async def test_write_calls_agree(cluster: Cluster, db_url: str, name: str) -> None:
    with service_connection(db_url) as conn:
        ids = mixed(conn)
    twin = clone_database(cluster, db_url)
    call = WRITES[name][0]
    direct, fast = postgres_client(db_url), asyncpg_client(twin)
    try:
        via_psycopg = await call(direct, ids)
        via_asyncpg = await call(fast, ids)
        assert type(via_asyncpg) is type(via_psycopg)
        assert comparable(via_asyncpg) == comparable(via_psycopg)
        assert via_psycopg not in (None, [], 0) or name == "sweep"
        # the stored state agrees too
        assert comparable(await fast.stats()) == comparable(await direct.stats())
    finally:
        await direct.aclose()
        await fast.aclose()
        drop_database(cluster, twin)


@pytest.fixture
async def both(db_url: str) -> AsyncIterator[tuple[dict[str, int], AsyncJobsClient,
                                                   AsyncJobsClient]]:
    with service_connection(db_url) as conn:
        ids = mixed(conn)
    direct, fast = postgres_client(db_url), asyncpg_client(db_url)
    try:
        yield ids, direct, fast
    finally:
        await direct.aclose()
        await fast.aclose()


@pytest.mark.parametrize("name", sorted(READS))
async def test_read_calls_agree(both: Any, name: str) -> None:
    ids, direct, fast = both
    call = READS[name][0]
    via_psycopg = await call(direct, ids)
    via_asyncpg = await call(fast, ids)
    assert type(via_asyncpg) is type(via_psycopg)
    assert via_asyncpg == via_psycopg
    assert via_psycopg  # the state makes every read non-empty: equality is not vacuous


async def test_stats_agree_apart_from_ages(both: Any) -> None:
    _, direct, fast = both
    via_psycopg, via_asyncpg = await direct.stats(), await fast.stats()
    assert via_psycopg and comparable(via_asyncpg) == comparable(via_psycopg)
    assert [s.oldest_due_age_seconds is None for s in via_asyncpg] == \
        [s.oldest_due_age_seconds is None for s in via_psycopg]


@pytest.mark.parametrize("case", sorted(CASES))
async def test_errors_agree(db_url: str, case: str) -> None:
    with service_connection(db_url) as conn:
        ids = {"succeeded": succeeded(conn), "dead": dead(conn)}
    call, kind, code, field = CASES[case]
    direct, fast = postgres_client(db_url), asyncpg_client(db_url)
    try:
        with pytest.raises(kind) as from_psycopg:
            await call(direct, ids)
        with pytest.raises(kind) as from_asyncpg:
            await call(fast, ids)
    finally:
        await direct.aclose()
        await fast.aclose()
    a, b = from_psycopg.value, from_asyncpg.value
    assert type(b) is type(a)
    assert (b.code, getattr(b, "field", None)) == (a.code, getattr(a, "field", None)) \
        == (code, field)
    assert str(b) == str(a)
    assert (b.details, b.hint, b.status) == (a.details, a.hint, a.status)


async def test_data_error_from_the_server_agrees(db_url: str) -> None:
    """A 22xxx the server sends (asyncpg raises it as a DataError, like a bad argument)."""
    direct, fast = postgres_client(db_url), asyncpg_client(db_url)
    try:
        errors = []
        for one in (direct, fast):
            with pytest.raises(ValidationError, match=r"^LIMIT must not be negative$") as err:
                await one.transport.call("list_dead_letters", {"max_rows": -1})
            errors.append((type(err.value), err.value.code, err.value.field, str(err.value)))
        assert errors[0] == errors[1] and errors[0][1] == "2201W"
    finally:
        await direct.aclose()
        await fast.aclose()


async def test_wrong_role_is_permission_denied(db_url: str) -> None:
    errors = []
    for transport in (PostgresTransport(db_url, role="anon"), AsyncpgTransport(db_url, role="anon")):
        anon = AsyncJobsClient(transport)
        try:
            with pytest.raises(PermissionDeniedError, match=r"^permission denied") as err:
                await anon.stats()
            errors.append((err.value.code, str(err.value)))
        finally:
            await anon.aclose()
    assert errors[0] == errors[1] and errors[0][0] == "42501"
