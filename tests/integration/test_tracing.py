"""Traces: one receipt's jobs followed from enqueue to complete across the SDK and the worker
(real PostgreSQL), with the in-memory exporter of the OpenTelemetry SDK."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import psycopg
import pytest
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from supajobs import AsyncJobsClient, JobTypeOptions, ValidationError
from supajobs.tracing import deserialize, serialize, start_enqueue
from supajobs.transport.asyncpg_driver import AsyncpgTransport
from supajobs.transport.postgres import PostgresTransport
from supajobs_worker.config import WorkerConfig
from supajobs_worker.registry import JobContext, Registry
from supajobs_worker.service import WorkerService
from support.otel import by_name, in_memory_tracing, parent_id, reset, span_id, trace_id
from support.sdk_clients import postgrest_client

ONE_TRY = JobTypeOptions(max_attempts=1)


@pytest.fixture
def spans() -> Any:
    with in_memory_tracing() as exporter:
        yield exporter


def direct(db_url: str, driver: str = "psycopg") -> AsyncJobsClient:
    if driver == "asyncpg":
        return AsyncJobsClient(AsyncpgTransport(db_url, role="service_role"))
    return AsyncJobsClient(PostgresTransport(db_url, role="service_role"))


@asynccontextmanager
async def worker(db_url: str, registry: Registry,
                 client: AsyncJobsClient | None = None) -> AsyncIterator[WorkerService]:
    config = WorkerConfig(database_url=db_url, db_role="service_role", worker_id="w-trace",
                          idle_poll_seconds=60)
    service = WorkerService(config, registry, mode="listen", client=client or direct(db_url))
    await service.start()  # declares the registry's types, so they can be enqueued
    try:
        yield service
    finally:
        await service.stop()  # drains the result writes: every span has ended after it


async def enqueue_with(kind: str, db_url: str,
                       call: Callable[[AsyncJobsClient], Awaitable[Any]]) -> Any:
    if kind == "postgrest":
        async with postgrest_client(db_url) as (client, _mock):
            return await call(client)
    async with direct(db_url, kind) as client:
        return await call(client)


@pytest.mark.parametrize("kind", ["psycopg", "asyncpg", "postgrest"])
async def test_one_trace_from_enqueue_to_complete(db_url: str, spans: InMemorySpanExporter,
                                                  kind: str) -> None:
    registry = Registry()
    registry.handler("scan_mail")(lambda payload, ctx: {"seen": 1})
    tracer = trace.get_tracer("test")
    async with worker(db_url, registry) as service:
        with tracer.start_as_current_span("app.morning_run"):
            job = await enqueue_with(kind, db_url, lambda c: c.enqueue("scan_mail", {"box": 1}))
            stored = serialize()
        service.runner.wake()
        async with direct(db_url) as client:
            assert (await client.wait(job.id, timeout=20)).status == "succeeded"
            kept = (await client.get_job(job.id)).trace_context
    named = by_name(spans.get_finished_spans())
    root, enqueue = named["app.morning_run"], named["supajobs.enqueue scan_mail"]
    claim, run = named["supajobs.claim scan_mail"], named["supajobs.run scan_mail"]
    complete = named["supajobs.complete scan_mail"]
    assert {trace_id(s) for s in named.values()} == {trace_id(root)}
    assert parent_id(enqueue) == span_id(root)
    assert parent_id(claim) == parent_id(run) == span_id(enqueue)
    assert parent_id(complete) == span_id(run)
    assert kept is not None and deserialize(kept) is not None
    assert f"{trace_id(enqueue):032x}-{span_id(enqueue):016x}" in kept and stored != kept
    assert run.attributes is not None
    assert (run.attributes["supajobs.job_id"], run.attributes["supajobs.attempt"],
            run.attributes["supajobs.outcome"]) == (job.id, 1, "completed")
    assert claim.start_time is not None and run.start_time is not None
    assert claim.end_time is not None and claim.end_time <= run.start_time


async def test_a_failure_span_names_the_error_type_and_nothing_of_the_payload(
        db_url: str, spans: InMemorySpanExporter) -> None:
    registry = Registry()

    def charge(payload: Any, ctx: JobContext) -> None:
        raise ValueError(f"card {payload.card} refused")

    registry.handler("charge_card", options=ONE_TRY)(charge)
    async with worker(db_url, registry) as service, direct(db_url) as client:
        with trace.get_tracer("test").start_as_current_span("app.checkout"):
            job = await client.enqueue("charge_card", {"card": "4111-SECRET-1111"})
        service.runner.wake()
        assert (await client.wait(job.id, timeout=20)).status == "dead"
    named = by_name(spans.get_finished_spans())
    run, fail = named["supajobs.run charge_card"], named["supajobs.fail charge_card"]
    assert run.attributes is not None and fail.attributes is not None
    assert run.status.status_code is StatusCode.ERROR
    assert run.attributes["error.type"] == fail.attributes["error.type"] == "ValueError"
    assert (run.attributes["supajobs.outcome"], fail.attributes["supajobs.retryable"]) == (
        "dead", True)
    for span in named.values():  # the payload (and the message quoting it) stays out
        texts = [str(v) for v in (span.attributes or {}).values()]
        texts += [str(e.attributes) for e in span.events] + [str(span.status.description)]
        assert not any("SECRET" in t for t in texts), span.name


async def test_a_job_enqueued_by_a_handler_is_in_its_trace(
        db_url: str, spans: InMemorySpanExporter) -> None:
    registry = Registry()
    async with direct(db_url) as producer:
        async def scan(payload: Any, ctx: JobContext) -> None:
            await producer.enqueue("process_receipt", {"n": 1})

        registry.handler("scan_box")(scan)
        registry.handler("process_receipt")(lambda payload, ctx: None)
        async with worker(db_url, registry) as service:
            with trace.get_tracer("test").start_as_current_span("app.cron"):
                first = await producer.enqueue("scan_box", {})
            service.runner.wake()
            await producer.wait(first.id, timeout=20)
            service.runner.wake()
            async with await psycopg.AsyncConnection.connect(db_url) as conn:
                row = await (await conn.execute(
                    "select id from jobs.jobs where job_type = 'process_receipt'")).fetchone()
            assert row is not None
            second = await producer.wait(int(row[0]), timeout=20)
            assert second.status == "succeeded"
    named = by_name(spans.get_finished_spans())
    root = named["app.cron"]
    assert {trace_id(s) for s in named.values()} == {trace_id(root)}
    assert parent_id(named["supajobs.enqueue process_receipt"]) == span_id(
        named["supajobs.run scan_box"])
    assert parent_id(named["supajobs.run process_receipt"]) == span_id(
        named["supajobs.enqueue process_receipt"])


async def test_an_invalid_trace_context_is_refused_with_its_name(db_url: str) -> None:
    async with direct(db_url) as client:
        await client.job_types.upsert("plain_job")
        with pytest.raises(ValidationError, match="trace_context must be a W3C traceparent"):
            await client.enqueue_many([{"job_type": "plain_job", "trace_context": "nope"}])
        with pytest.raises(ValidationError, match=r"jobs\[0\]\.trace_context"):
            await client.call_raw("enqueue_batch", {"items": [
                {"job_type": "plain_job", "trace_context": "00-zz"}]})
        with pytest.raises(ValidationError, match="trace_context must be"):
            await client.call_raw("enqueue", {"job_type": "plain_job", "payload": {},
                                              "trace_context": "x" * 700})
    async with await psycopg.AsyncConnection.connect(db_url) as conn:
        row = await (await conn.execute("select count(*) from jobs.jobs")).fetchone()
    assert row == (0,)  # nothing was written


class Counting:
    """A transport that counts the RPCs a worker sends."""

    def __init__(self, inner: PostgresTransport) -> None:
        self.inner, self.name = inner, inner.name
        self.calls: list[str] = []

    async def call(self, fn: str, args: Any) -> Any:
        self.calls.append(fn)
        return await self.inner.call(fn, args)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_tracing_off_makes_no_span_and_no_extra_call(db_url: str) -> None:
    reset()  # no tracer provider: the default
    registry = Registry()
    registry.handler("quiet_job")(lambda payload, ctx: None)
    counting = Counting(PostgresTransport(db_url, role="service_role"))
    async with (worker(db_url, registry, AsyncJobsClient(counting)) as service,
                direct(db_url) as client):
        with trace.get_tracer("test").start_as_current_span("app.untraced") as span:
            assert not span.get_span_context().is_valid  # the API's no-op
            job = await client.enqueue("quiet_job", {})
            assert start_enqueue("quiet_job") is None  # nothing made, nothing to carry
        service.runner.wake()
        assert (await client.wait(job.id, timeout=20)).status == "succeeded"
        assert (await client.get_job(job.id)).trace_context is None
    assert "claim_work" in counting.calls and "trace_contexts" not in counting.calls


async def test_without_an_sdk_a_callers_remote_context_is_still_carried(db_url: str) -> None:
    reset()
    parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    remote = deserialize(f"{parent} vendor=abc")
    assert remote is not None
    async with direct(db_url) as client:
        await client.job_types.upsert("relayed")
        token = otel_context.attach(remote)
        try:
            job = await client.enqueue("relayed", {})
            batch = await client.enqueue_many([{"job_type": "relayed"}])
        finally:
            otel_context.detach(token)
    assert job.trace_context == batch[0].trace_context == f"{parent} vendor=abc"
