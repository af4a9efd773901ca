"""run_handler: payload validation, results, errors, time limits, and killable isolation."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import psutil
import pytest

from supajobs_worker.execute import run_handler, time_limit
from supajobs_worker.registry import Handler, JobContext, Registry
from unit.worker_fakes import make_job
from unit.worker_isolated import Amount, refuse, spin, triple


def handler_for(fn: Any, *, timeout: float | None = None, isolated: bool = False) -> Handler:
    registry = Registry()
    registry.handler("unit_job", payload=Amount, timeout=timeout, isolated=isolated)(fn)
    found = registry.get("unit_job")
    assert found is not None
    return found


async def double(payload: Amount, ctx: JobContext) -> dict[str, int]:
    return {"yen": payload.yen * 2, "attempt": ctx.attempt}


async def test_result_is_returned_as_json() -> None:
    verdict = await run_handler(handler_for(double), make_job(payload={"yen": 21}, attempts=2), "w")
    assert (verdict.ok, verdict.reason, verdict.result) == (True, "completed",
                                                            {"yen": 42, "attempt": 2})


async def test_invalid_payload_is_not_retryable_and_names_the_field() -> None:
    verdict = await run_handler(handler_for(double), make_job(payload={"yen": -1}), "w")
    assert (verdict.ok, verdict.reason, verdict.retryable) == (False, "invalid_payload", False)
    assert "invalid payload for unit_job" in verdict.error and "yen" in verdict.error


async def test_errors_are_retryable_unless_declared_otherwise() -> None:
    async def boom(payload: Amount, ctx: JobContext) -> None:
        raise RuntimeError("IMAP server said no")

    failed = await run_handler(handler_for(boom), make_job(payload={"yen": 1}), "w")
    assert (failed.reason, failed.retryable, failed.error) == (
        "error", True, "RuntimeError: IMAP server said no")
    refused = await run_handler(handler_for(refuse), make_job(payload={"yen": 1}), "w")
    assert (refused.reason, refused.retryable) == ("non_retryable", False)


async def test_sync_handlers_run_in_a_thread() -> None:
    verdict = await run_handler(handler_for(triple), make_job(payload={"yen": 5}), "w")
    assert verdict.result == 15


async def test_unserialisable_result_fails_without_retry() -> None:
    async def odd(payload: Amount, ctx: JobContext) -> object:
        return object()

    verdict = await run_handler(handler_for(odd), make_job(payload={"yen": 1}), "w")
    assert (verdict.reason, verdict.retryable) == ("non_retryable", False)
    assert "not JSON serialisable" in verdict.error


async def test_async_handler_over_its_time_limit_is_cancelled_as_timed_out() -> None:
    async def forever(payload: Amount, ctx: JobContext) -> None:
        await asyncio.Event().wait()

    verdict = await run_handler(handler_for(forever, timeout=0.05), make_job(payload={"yen": 1}), "w")
    assert (verdict.reason, verdict.timed_out, verdict.retryable) == ("timed_out", True, True)


def test_time_limit_is_the_tighter_of_job_and_handler() -> None:
    assert time_limit(handler_for(double), make_job(timeout=60)) == 60
    assert time_limit(handler_for(double, timeout=5), make_job(timeout=60)) == 5
    assert time_limit(handler_for(double, timeout=120), make_job(timeout=60)) == 60


async def test_isolated_handler_runs_in_another_process_and_is_killed_on_timeout(
        tmp_path: Path) -> None:
    ok = await run_handler(handler_for(triple, isolated=True), make_job(payload={"yen": 2}), "w")
    assert ok.result == 6
    pid_file = tmp_path / "pid"
    stuck = await run_handler(handler_for(spin, timeout=2, isolated=True),
                              make_job(payload={"yen": 1, "pid_file": str(pid_file)}), "w")
    assert stuck.reason == "timed_out"
    pid = int(pid_file.read_text())
    assert pid != os.getpid() and not psutil.pid_exists(pid)
    refused = await run_handler(handler_for(refuse, isolated=True), make_job(payload={"yen": 1}),
                                "w")
    assert (refused.reason, refused.retryable) == ("non_retryable", False)
    assert "this receipt can never be read" in refused.error


async def test_cancellation_propagates_for_the_runner_to_handle() -> None:
    async def forever(payload: Amount, ctx: JobContext) -> None:
        await asyncio.Event().wait()

    task = asyncio.ensure_future(run_handler(handler_for(forever), make_job(payload={"yen": 1}), "w"))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
