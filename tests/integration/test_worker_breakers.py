"""The worker's own breakers, forced: CPU held above 90 % for 5 minutes (a fake sampler and
clock), and a database pool of one connection held by the test. Real PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
import pytest

from supajobs import AsyncJobsClient, RetryPolicy, SupajobsError
from supajobs.transport.asyncpg_driver import AsyncpgTransport
from supajobs.transport.postgres import PostgresTransport
from supajobs_worker.breakers.cpu import CpuBreaker
from supajobs_worker.breakers.guard import ResourceBreakers
from supajobs_worker.breakers.pool import PoolBreaker
from supajobs_worker.config import WorkerConfig
from supajobs_worker.registry import Registry
from supajobs_worker.service import WorkerService


class Fake:
    def __init__(self, value: float) -> None:
        self.value = value

    def __call__(self) -> float:
        return self.value


@asynccontextmanager
async def worker(db_url: str, registry: Registry, client: AsyncJobsClient,
                 breakers: ResourceBreakers, worker_id: str) -> AsyncIterator[WorkerService]:
    config = WorkerConfig(database_url=db_url, db_role="service_role", worker_id=worker_id,
                          idle_poll_seconds=60, breaker_check_seconds=3600)
    service = WorkerService(config, registry, mode="listen", client=client, breakers=breakers)
    await service.start()
    try:
        yield service
    finally:
        await service.stop()


def rows(db_url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(query).fetchall()


async def test_cpu_held_high_stops_claiming_and_records_a_trip_until_it_falls(
        db_url: str) -> None:
    cpu, clock = Fake(95.0), Fake(0.0)
    breaker = CpuBreaker(90.0, 300.0, 80.0, sampler=cpu, clock=clock)
    breakers = ResourceBreakers([breaker])
    registry = Registry()
    registry.handler("busy_job")(lambda payload, ctx: None)
    client = AsyncJobsClient(PostgresTransport(db_url, role="service_role"))
    async with worker(db_url, registry, client, breakers, "w-cpu") as service:
        for clock.value in (0.0, 150.0, 299.0):
            assert breakers.check() == [] and not breakers.paused
        clock.value = 300.0
        assert [change for _, change in breakers.check()] == ["open"]
        breakers.sync(client, "w-cpu")
        await breakers.settle()
        job = await client.enqueue("busy_job", {})
        service.runner.wake()
        await asyncio.sleep(0.3)
        assert (await client.get_job(job.id)).status == "queued"  # nothing claimed
        assert [b.scope for b in await client.breakers.list()] == ["worker:w-cpu:cpu"]
        cpu.value = 85.0  # below the threshold, not below the resume level: stays open
        assert breakers.check() == [] and breakers.paused
        cpu.value = 60.0
        assert [change for _, change in breakers.check()] == ["close"]
        breakers.sync(client, "w-cpu")
        await breakers.settle()
        service.runner.wake()
        assert (await client.wait(job.id, timeout=20)).status == "succeeded"
        assert await client.breakers.list() == []
    trips = rows(db_url, "select scope, reason, details ->> 'cpu_percent', reset_by "
                         "from jobs.breaker_trips")
    assert len(trips) == 1 and trips[0][0] == "worker:w-cpu:cpu" and trips[0][3] == "worker"
    assert "CPU above 90% for 300 s" in trips[0][1] and trips[0][2] == "95.0"
    alerts = rows(db_url, "select payload ->> 'scope' from jobs.jobs "
                          "where job_type = 'alert_notify'")
    assert alerts == [("worker:w-cpu:cpu",)]


async def test_a_dip_below_the_threshold_restarts_the_window() -> None:
    cpu, clock = Fake(95.0), Fake(0.0)
    breaker = CpuBreaker(90.0, 300.0, 80.0, sampler=cpu, clock=clock)
    assert breaker.check() is None
    clock.value, cpu.value = 200.0, 50.0
    assert breaker.check() is None
    cpu.value = 95.0
    for clock.value in (210.0, 500.0):
        assert breaker.check() is None
    clock.value = 510.0
    assert breaker.check() == "open"


async def test_an_exhausted_pool_pauses_claiming_and_claimed_jobs_wait_instead_of_failing(
        db_url: str) -> None:
    transport = AsyncpgTransport(db_url, role="service_role", max_size=1, pool_timeout=0.3)
    # No retries of the SDK's own: what keeps the result is the recorder's patience.
    client = AsyncJobsClient(transport, retry=RetryPolicy(attempts=1, initial_wait=0,
                                                          max_wait=0, jitter=0))
    breaker = PoolBreaker(transport.pool_pressure, wait_seconds=0.2, calm_seconds=0.0)
    breakers = ResourceBreakers([breaker])
    go = asyncio.Event()
    registry = Registry()

    async def slow(payload: Any, ctx: Any) -> str:
        await go.wait()
        return "done"

    registry.handler("slow_job")(slow)
    async with worker(db_url, registry, client, breakers, "w-pool") as service:
        job = await client.enqueue("slow_job", {})
        service.runner.wake()
        for _ in range(100):
            if service.runner.in_flight:
                break
            await asyncio.sleep(0.05)
        held = await transport._slots.acquire()  # the test takes the pool's only connection
        try:
            go.set()  # the job finishes; writing its result must wait for a connection
            await asyncio.sleep(0.5)
            assert [change for _, change in breakers.check()] == ["open"]
            assert not service.runner.can_claim()
            breakers.sync(client, "w-pool")  # waits for the pool too
            await asyncio.sleep(0.8)  # past the pool timeout: the write keeps waiting
            assert job.id in service.runner.in_flight
        finally:
            await transport._slots.release(held)
        done = await client.wait(job.id, timeout=20)
        assert (done.status, done.attempts, done.result) == ("succeeded", 1, "done")
        await breakers.settle()  # that recording found no connection either: the next lands
        breakers.sync(client, "w-pool")
        await breakers.settle()
        assert [b.scope for b in await client.breakers.list()] == ["worker:w-pool:db_pool"]
        assert breakers.check() == []  # waits gave up since the last check: not calm yet
        assert [change for _, change in breakers.check()] == ["close"]
        breakers.sync(client, "w-pool")
        await breakers.settle()
        assert await client.breakers.list() == []
    [(reason, timeouts)] = rows(db_url, "select reason, (details ->> 'wait_timeouts')::int "
                                        "from jobs.breaker_trips")
    assert "database connection pool exhausted" in reason and timeouts >= 1


@pytest.mark.parametrize(("kind", "message"), [
    ("disk", "kind must be cpu or db_pool, got 'disk'"), (None, "kind must be cpu or db_pool")])
async def test_a_wrong_breaker_kind_is_named(db_url: str, kind: str | None, message: str) -> None:
    async with AsyncJobsClient(PostgresTransport(db_url, role="service_role")) as client:
        with pytest.raises(SupajobsError, match=message):
            await client.call_raw("open_worker_breaker", {"worker_id": "w", "kind": kind,
                                                          "reason": "r", "details": {}})
    assert rows(db_url, "select count(*) from jobs.breaker_trips") == [(0,)]
