"""Both drivers through a real transaction pooler (pgbouncer, pool_mode=transaction), with
SUPAJOBS_DB_PREPARE=off: the whole API gives what a direct connection gives, the role
(service_role) holds for every call without leaking to other clients, and concurrent calls
never see each other's statements."""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
import pytest

from integration.test_sdk_transports_read import READS
from integration.test_sdk_transports_write import WRITES
from supajobs import AsyncJobsClient, PermissionDeniedError, RetryPolicy, SupajobsError
from supajobs.config import direct_transport, transport_from_env
from supajobs_dev.cluster import Cluster
from support.pgbouncer import Pgbouncer
from support.rpc import service_connection
from support.sdk_clients import (
    FAST_RETRY,
    clone_database,
    comparable,
    drop_database,
    postgres_client,
)
from support.sdk_scenarios import mixed

DRIVERS = ["asyncpg", "psycopg"]


def pooled_client(url: str, driver: str, *, user: str = "authenticator",
                  role: str | None = "service_role", max_size: int = 4) -> AsyncJobsClient:
    """Connected as Supabase's authenticator (no rights of its own), acting as service_role."""
    url = url.replace("postgresql://postgres@", f"postgresql://{user}@")
    return AsyncJobsClient(direct_transport(url, role=role, driver=driver, max_size=max_size,
                                            prepare=False), retry=FAST_RETRY)


async def outcome(call: Any, client: AsyncJobsClient, ids: dict[str, int]) -> Any:
    try:
        return comparable(await call(client, ids))
    except SupajobsError as exc:  # a later write may meet what an earlier one changed
        return (type(exc).__name__, str(exc))


def test_the_pooler_really_pools_by_transaction(pooled_db_url: str) -> None:
    """What makes the per-call role necessary: a session's `set role` stays on the shared
    server connection and the next client inherits it."""
    with psycopg.connect(pooled_db_url, autocommit=True) as first:
        first.execute("set role service_role")
    with psycopg.connect(pooled_db_url, autocommit=True) as second:
        row = second.execute("select current_user").fetchone()
        assert row == ("service_role",)
        second.execute("reset role")


@pytest.mark.parametrize("driver", DRIVERS)
async def test_every_write_agrees_with_a_direct_connection(cluster: Cluster, pgbouncer: Pgbouncer,
                                                           db_url: str, driver: str) -> None:
    with service_connection(db_url) as conn:
        ids = mixed(conn)
    twin = clone_database(cluster, db_url)
    direct, pooled = postgres_client(db_url), pooled_client(pgbouncer.pooled(twin), driver)
    try:
        for name in sorted(WRITES):  # the same sequence on both sides
            call = WRITES[name][0]
            assert await outcome(call, pooled, ids) == await outcome(call, direct, ids), name
        assert comparable(await pooled.stats()) == comparable(await direct.stats())
    finally:
        await direct.aclose()
        await pooled.aclose()
        drop_database(cluster, twin)


@pytest.mark.parametrize("driver", DRIVERS)
async def test_every_read_agrees_with_a_direct_connection(db_url: str, pooled_db_url: str,
                                                          driver: str) -> None:
    with service_connection(db_url) as conn:
        ids = mixed(conn)
    direct, pooled = postgres_client(db_url), pooled_client(pooled_db_url, driver)
    try:
        for name in sorted(READS):
            call = READS[name][0]
            via_pooler = await call(pooled, ids)
            assert via_pooler == await call(direct, ids), name
            assert via_pooler, name  # every read is non-empty: equality is not vacuous
    finally:
        await direct.aclose()
        await pooled.aclose()


@pytest.mark.parametrize("driver", DRIVERS)
async def test_concurrent_calls_keep_their_own_statements_and_role(pooled_db_url: str,
                                                                   driver: str) -> None:
    client = pooled_client(pooled_db_url, driver, max_size=8)
    try:
        async def one(n: int) -> None:
            job = await client.enqueue("email_scan", {"n": n})
            assert (await client.get_job(job.id)).payload == {"n": n}
            assert len(await client.history(job.id)) == 0
        await asyncio.gather(*(one(n) for n in range(60)))
    finally:
        await client.aclose()
    # the role never stayed behind on the pooler's shared server connections
    plain = pooled_db_url.replace("postgresql://postgres@", "postgresql://authenticator@")
    for _ in range(20):
        with psycopg.connect(plain, autocommit=True) as conn:
            assert conn.execute("select current_user").fetchone() == ("authenticator",)


@pytest.mark.parametrize("driver", DRIVERS)
async def test_without_the_role_the_pooled_calls_are_refused(pooled_db_url: str,
                                                             driver: str) -> None:
    client = pooled_client(pooled_db_url, driver, role=None)
    try:
        with pytest.raises(PermissionDeniedError):
            await client.stats()
    finally:
        await client.aclose()


@pytest.mark.parametrize("driver", DRIVERS)
async def test_a_failed_call_leaves_no_transaction_open(pooled_db_url: str, driver: str) -> None:
    client = pooled_client(pooled_db_url, driver, max_size=1)
    try:
        with pytest.raises(SupajobsError):
            await client.get_job(10**12)  # no such job: an error inside the call's transaction
        assert await client.stats() is not None  # the same connection, usable again
    finally:
        await client.aclose()


def test_the_environment_turns_it_on(pooled_db_url: str) -> None:
    env = {"SUPAJOBS_DATABASE_URL": pooled_db_url, "SUPAJOBS_DB_PREPARE": "off",
           "SUPAJOBS_DB_ROLE": "service_role"}
    for driver in DRIVERS:
        transport = transport_from_env({**env, "SUPAJOBS_DB_DRIVER": driver})
        assert transport._local_role == "begin; set local role \"service_role\""  # type: ignore[attr-defined]
        assert transport._role is None  # type: ignore[attr-defined]


@pytest.mark.parametrize("driver", DRIVERS)
async def test_after_a_pooler_restart_the_next_call_gets_a_live_connection(
        pooled_db_url: str, pgbouncer: Pgbouncer, driver: str) -> None:
    client = pooled_client(pooled_db_url, driver, max_size=2)
    client_once = AsyncJobsClient(client.transport, retry=RetryPolicy(attempts=1))  # no retry
    try:
        await asyncio.gather(client.stats(), client.stats())  # two idle pooled connections
        pgbouncer.restart()
        await asyncio.sleep(0.2)  # the closed sockets are noticed by the event loop
        for _ in range(3):
            assert await client_once.stats() is not None
    finally:
        await client.aclose()
