"""ctx.progress: what a handler may say, the buffer that keeps the latest report per job, the
writer's batching and failure handling, and reports from an isolated handler's process."""

from __future__ import annotations

import math
from typing import Any

import pytest

from supajobs.errors import TransientError
from supajobs_worker.execute import run_handler
from supajobs_worker.progress import ProgressUpdate, progress_update
from supajobs_worker.progress_writer import ProgressBuffer, write_once
from supajobs_worker.registry import JobContext, Registry
from unit.worker_fakes import RecordingTransport, client, make_job
from unit.worker_isolated import Amount, pages


def test_a_float_is_a_fraction_an_int_a_count_and_a_total_makes_both() -> None:
    assert progress_update(0.25, "reading") == ProgressUpdate(0.25, None, None, "reading")
    assert progress_update(12) == ProgressUpdate(None, 12.0, None, None)
    assert progress_update(3, "page 3", total=4) == ProgressUpdate(0.75, 3.0, 4.0, "page 3")
    assert progress_update(9, total=4).fraction == 1.0  # a count past its total shows 100 %
    assert progress_update(0.5, "  ").message is None
    assert len(progress_update(1.0, "x" * 900).message or "") == 500


@pytest.mark.parametrize(("value", "kwargs", "error", "text"), [
    (1.5, {}, ValueError, "fraction must be from 0 to 1"),
    (-1, {}, ValueError, "value must be a finite number >= 0"),
    (math.nan, {}, ValueError, "finite"),
    (math.inf, {"total": 3}, ValueError, "finite"),
    (1, {"total": 0}, ValueError, "total must be greater than 0"),
    ("3", {}, TypeError, "value must be a number, got str"),
    (True, {}, TypeError, "got bool"),
    (0.5, {"message": 7}, TypeError, "message must be a string"),
])
def test_bad_progress_names_the_problem(value: Any, kwargs: dict[str, Any],
                                        error: type[Exception], text: str) -> None:
    message = kwargs.pop("message", None)
    with pytest.raises(error, match=text):
        progress_update(value, message, **kwargs)
    ctx = JobContext(1, "t", 1, "w", ProgressBuffer())
    with pytest.raises(error, match=text):  # the handler sees it where it reported
        ctx.progress(value, message, **kwargs)
    assert not len(ctx.sink)  # type: ignore[arg-type]


def test_the_buffer_keeps_the_latest_report_per_job_and_restores_older_ones() -> None:
    buffer = ProgressBuffer()
    buffer.report(1, 1, progress_update(0.1))
    buffer.report(1, 1, progress_update(0.2))
    buffer.report(2, 3, progress_update(5))
    taken = buffer.take()
    assert {k: (a, u.fraction, u.current) for k, (a, u) in taken.items()} == {
        1: (1, 0.2, None), 2: (3, None, 5.0)}
    assert not len(buffer)
    buffer.report(1, 1, progress_update(0.9))  # a newer report arrives while writing fails
    buffer.restore(taken)
    again = buffer.take()
    assert again[1][1].fraction == 0.9 and again[2][1].current == 5.0


async def test_one_call_for_all_jobs_and_a_failed_write_is_kept_for_the_next() -> None:
    calls: list[dict[str, Any]] = []

    def report(args: dict[str, Any]) -> int:
        calls.append(args)
        if len(calls) == 1:
            raise TransientError("database restarting")
        return len(args["updates"])

    transport = RecordingTransport(report_progress=report)
    buffer = ProgressBuffer()
    buffer.report(7, 2, progress_update(1, "one", total=2))
    buffer.report(8, 1, progress_update(0.5))
    sdk = client(transport)
    assert await write_once(buffer, sdk, "w1") == 0
    assert await write_once(buffer, sdk, "w1") == 2
    assert await write_once(buffer, sdk, "w1") == 0  # nothing waiting: no call
    assert len(calls) == 2
    assert calls[1]["worker_id"] == "w1"
    assert sorted(calls[1]["updates"], key=lambda u: u["job_id"]) == [
        {"job_id": 7, "attempt": 2, "fraction": 0.5, "current": 1.0, "total": 2.0,
         "message": "one"},
        {"job_id": 8, "attempt": 1, "fraction": 0.5, "current": None, "total": None,
         "message": None}]


async def test_an_isolated_handler_reports_from_its_own_process() -> None:
    registry = Registry()
    registry.handler("unit_job", payload=Amount, isolated=True)(pages)
    handler = registry.get("unit_job")
    assert handler is not None
    buffer = ProgressBuffer()
    verdict = await run_handler(handler, make_job(payload={"yen": 3}, attempts=2), "w",
                                progress=buffer)
    assert verdict.result == 3
    ((job_id, (attempt, update)),) = buffer.take().items()
    assert (attempt, update) == (2, ProgressUpdate(1.0, 3.0, 3.0, "page 3"))
    assert job_id == 1
