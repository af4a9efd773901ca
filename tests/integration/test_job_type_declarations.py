"""Job types declared by `@handler(options=…)` are written when the worker starts."""

from __future__ import annotations

import logging

import pytest

from supajobs import AsyncJobsClient, JobTypeOptions, Priority
from supajobs.transport.postgres import PostgresTransport
from supajobs_receipts.pipeline.register import OPTIONS
from supajobs_worker.config import WorkerConfig
from supajobs_worker.registry import Registry
from supajobs_worker.service import WorkerService


def service(db_url: str, registry: Registry, worker_id: str) -> WorkerService:
    config = WorkerConfig(database_url=db_url, db_role="service_role", worker_id=worker_id,
                          idle_poll_seconds=60)
    return WorkerService(config, registry, mode="listen",
                         client=AsyncJobsClient(PostgresTransport(db_url, role="service_role")))


def client(db_url: str) -> AsyncJobsClient:
    return AsyncJobsClient(PostgresTransport(db_url, role="service_role"))


async def start_and_stop(db_url: str, registry: Registry, worker_id: str = "w1") -> None:
    worker = service(db_url, registry, worker_id)
    await worker.start()
    await worker.stop()


async def test_a_custom_type_needs_no_separate_call(db_url: str) -> None:
    registry = Registry()
    options = JobTypeOptions(default_priority=Priority.HIGH, max_attempts=3,
                             timeout_seconds=45, concurrency_limit=2)
    registry.handler("send_invoice", options=options)(lambda payload, ctx: None)
    await start_and_stop(db_url, registry)
    async with client(db_url) as c:
        stored = next(t for t in await c.job_types.list() if t.name == "send_invoice")
        assert (stored.default_priority, stored.max_attempts, stored.timeout_seconds,
                stored.concurrency_limit) == (Priority.HIGH, 3, 45, 2)
        job = await c.enqueue("send_invoice", {"n": 1})
        assert job.priority == Priority.HIGH and job.max_attempts == 3


async def test_an_undeclared_type_is_created_but_never_overwritten(db_url: str) -> None:
    async with client(db_url) as c:
        await c.job_types.upsert("tuned", max_attempts=2, timeout_seconds=99)
    registry = Registry()
    registry.handler("tuned")(lambda payload, ctx: None)
    registry.handler("fresh")(lambda payload, ctx: None)
    await start_and_stop(db_url, registry)
    async with client(db_url) as c:
        stored = {t.name: t for t in await c.job_types.list()}
    assert (stored["tuned"].max_attempts, stored["tuned"].timeout_seconds) == (2, 99)
    assert (stored["fresh"].max_attempts, stored["fresh"].timeout_seconds) == (5, 300)


async def test_the_last_worker_to_start_wins_and_says_what_it_changed(
        db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    old, new = Registry(), Registry()
    old.handler("resize", options=JobTypeOptions(max_attempts=5))(lambda p, c: None)
    new.handler("resize", options=JobTypeOptions(max_attempts=2, heavy=True))(lambda p, c: None)
    await start_and_stop(db_url, old, "old")
    with caplog.at_level(logging.WARNING, logger="supajobs_worker.declare"):
        await start_and_stop(db_url, new, "new")
    warning = next(r.getMessage() for r in caplog.records if "resize" in r.getMessage())
    assert "the last worker to start wins" in warning
    assert "heavy False -> True" in warning and "max_attempts 5 -> 2" in warning
    async with client(db_url) as c:
        changes = await c.job_types.ensure({"resize": JobTypeOptions(max_attempts=2, heavy=True)})
    assert [(ch.name, ch.action) for ch in changes] == [("resize", "unchanged")]


async def test_receipt_declarations_equal_the_receipts_seed(db_url: str) -> None:
    async with client(db_url) as c:
        changes = await c.job_types.ensure(dict(OPTIONS))
    assert {ch.name: ch.differences for ch in changes} == {str(t): {} for t in OPTIONS}
    assert {ch.action for ch in changes} == {"unchanged"}
