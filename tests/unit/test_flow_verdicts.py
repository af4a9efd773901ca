"""RetryLaterError becomes a 'throttled' verdict (also from an isolated handler), and the
recorder sends it to postpone_jobs, not fail_jobs: no attempt is spent."""

from __future__ import annotations

from typing import Any

from supajobs_worker.execute import MAX_RETRY_AFTER, run_handler
from supajobs_worker.metrics import WorkerMetrics
from supajobs_worker.registry import Handler, JobContext, Registry, RetryLaterError
from supajobs_worker.results import ResultRecorder, count, submit
from unit.worker_fakes import RecordingTransport, client, make_job
from unit.worker_isolated import Amount, throttled


def handler_for(fn: Any, *, isolated: bool = False) -> Handler:
    registry = Registry()
    registry.handler("unit_job", payload=Amount, isolated=isolated)(fn)
    found = registry.get("unit_job")
    assert found is not None
    return found


async def slow_down(payload: Amount, ctx: JobContext) -> None:
    raise RetryLaterError(30, "Retry-After: 30")


async def forever(payload: Amount, ctx: JobContext) -> None:
    raise RetryLaterError(float("inf"))


async def test_retry_later_is_a_throttled_verdict_with_its_seconds() -> None:
    verdict = await run_handler(handler_for(slow_down), make_job(payload={"yen": 1}), "w")
    assert (verdict.ok, verdict.reason, verdict.retry_after, verdict.rate_key) == (
        False, "throttled", 30.0, None)
    assert "Retry-After: 30" in verdict.error


async def test_endless_seconds_are_capped_so_they_can_be_sent_as_json() -> None:
    verdict = await run_handler(handler_for(forever), make_job(payload={"yen": 1}), "w")
    assert verdict.retry_after == MAX_RETRY_AFTER


async def test_an_isolated_handler_keeps_its_seconds_and_key() -> None:
    verdict = await run_handler(handler_for(throttled, isolated=True),
                                make_job(payload={"yen": 1}), "w")
    assert (verdict.reason, verdict.retry_after, verdict.rate_key) == (
        "throttled", 12.5, "company-9")
    assert "freee answered 403" in verdict.error


async def test_the_recorder_postpones_instead_of_failing() -> None:
    transport = RecordingTransport()
    recorder, metrics = ResultRecorder(client(transport), "w"), WorkerMetrics()
    job = make_job(payload={"yen": 1}, attempts=3)
    verdict = await run_handler(handler_for(slow_down), job, "w")
    outcomes: list[str | None] = []
    submit(recorder, metrics, job, verdict, outcomes.append)
    await recorder.drain()
    assert transport.named("fail_jobs") == []
    (call,) = transport.named("postpone_jobs")
    assert call["postponements"] == [{"job_id": job.id, "attempt": 3, "seconds": 30.0,
                                      "error": verdict.error, "key": None}]
    count(metrics, job, verdict, "postponed")
    assert metrics.of(job.job_type).postponed == 1
