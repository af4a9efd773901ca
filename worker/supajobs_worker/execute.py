"""Run one handler for one claimed job and turn what happened into a verdict to record.

Nothing here touches the database: the runner records the verdict (batched).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pydantic
from pydantic_core import PydanticSerializationError, to_jsonable_python

from supajobs.claimed import WorkItem
from supajobs_worker.isolated import IsolatedHandlerError, run_isolated
from supajobs_worker.progress import ProgressSink
from supajobs_worker.registry import Handler, JobContext, NonRetryableError, RetryLaterError

MAX_RETRY_AFTER = 86400.0  # the database caps it again (setting max_postpone_seconds)
ERROR_LIMIT = 4000  # the database keeps 10,000 characters; the head says what went wrong


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs µs per job
class Verdict:
    ok: bool
    reason: str  # completed | error | non_retryable | invalid_payload | timed_out | throttled
    result: Any = None
    error: str = ""
    retryable: bool = True
    timed_out: bool = False
    seconds: float = 0.0
    retry_after: float = 0.0      # throttled: postpone by this much (RetryLaterError)
    rate_key: str | None = None   # throttled: the key to pause (None: the job's own)


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return text[:ERROR_LIMIT]


def time_limit(handler: Handler, job: WorkItem) -> float:
    """The job's own timeout, tightened by the handler's when it declares one."""
    limit = float(job.timeout_seconds)
    return limit if handler.timeout is None else min(limit, handler.timeout)


async def _call(handler: Handler, payload: Any, ctx: JobContext) -> Any:
    if handler.isolated:
        return await run_isolated(handler.fn, payload, ctx)
    if handler.is_async:
        return await handler.fn(payload, ctx)
    return await asyncio.to_thread(handler.fn, payload, ctx)  # cannot be killed: see isolated


def _timed_out(limit: float, started: float) -> Verdict:
    return Verdict(False, "timed_out", error=f"timed out after {limit:g} s", timed_out=True,
                   seconds=time.monotonic() - started)


async def run_handler(handler: Handler, job: WorkItem, worker_id: str, *,
                      expired: Callable[[], bool] | None = None,
                      progress: ProgressSink | None = None) -> Verdict:
    """Validate the payload, run the handler under its time limit, classify the outcome.

    expired: the caller keeps the time limit itself (deadlines.py) and cancels the task when
    it passes; this tells such a cancel from the others. Without it, a timer of our own.
    progress: where the handler's ctx.progress reports go (the worker's ProgressBuffer).
    Cancellation (lease lost, shutdown) propagates to the caller.
    """
    try:
        payload = handler.payload.model_validate(job.payload)
    except pydantic.ValidationError as exc:
        message = f"invalid payload for {job.job_type}: {exc}"[:ERROR_LIMIT]
        return Verdict(False, "invalid_payload", error=message, retryable=False)
    ctx = JobContext(job.id, job.job_type, job.attempts, worker_id, progress)
    limit = time_limit(handler, job)
    started = time.monotonic()
    try:
        if expired is None:
            async with asyncio.timeout(limit):
                result = await _call(handler, payload, ctx)
        else:
            result = await _call(handler, payload, ctx)
    except TimeoutError:
        return _timed_out(limit, started)
    except asyncio.CancelledError:
        if expired is None or not expired():
            raise
        asyncio.current_task().uncancel()  # type: ignore[union-attr]  # the deadline's cancel
        return _timed_out(limit, started)
    except RetryLaterError as exc:  # not a failure: postponed, no attempt spent
        wait = exc.seconds if math.isfinite(exc.seconds) else MAX_RETRY_AFTER  # JSON has no inf
        return Verdict(False, "throttled", error=_describe(exc), retry_after=wait,
                       rate_key=exc.key, seconds=time.monotonic() - started)
    except NonRetryableError as exc:
        return Verdict(False, "non_retryable", error=_describe(exc), retryable=False,
                       seconds=time.monotonic() - started)
    except IsolatedHandlerError as exc:
        return Verdict(False, "non_retryable" if exc.non_retryable else "error",
                       error=str(exc)[:ERROR_LIMIT], retryable=not exc.non_retryable,
                       seconds=time.monotonic() - started)
    except Exception as exc:
        return Verdict(False, "error", error=_describe(exc), seconds=time.monotonic() - started)
    seconds = time.monotonic() - started
    try:  # most handlers return nothing: skip the serializer then
        data = None if result is None else to_jsonable_python(result)
    except (PydanticSerializationError, TypeError, ValueError) as exc:
        return Verdict(False, "non_retryable", retryable=False, seconds=seconds,
                       error=f"handler result is not JSON serialisable: {exc}"[:ERROR_LIMIT])
    return Verdict(True, "completed", result=data, seconds=seconds)
