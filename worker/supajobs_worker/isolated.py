"""Run a handler in its own process so that a stuck or CPU-bound one can be killed.

A thread cannot be stopped; a process can. The child runs `fn(payload, ctx)` and sends back
the result or the error (and, before it, any ctx.progress reports, which the parent hands to
its own sink); on timeout or cancellation the parent kills it (SIGKILL).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import traceback
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import Any

from supajobs_worker.progress import ProgressSink, ProgressUpdate
from supajobs_worker.registry import JobContext, NonRetryableError, RetryLaterError

# forkserver: children start from a clean, single-threaded server, not from our event loop.
_CONTEXT = multiprocessing.get_context("forkserver")
# Imported once in the fork server, so each handler process starts warm.
_CONTEXT.set_forkserver_preload(["supajobs_worker.isolated", "pydantic"])


def preload(modules: list[str]) -> None:
    """Also import these (handler modules) in the fork server; call before the first job."""
    _CONTEXT.set_forkserver_preload(["supajobs_worker.isolated", "pydantic", *modules])


class IsolatedHandlerError(Exception):
    """The handler raised in its process; `non_retryable` mirrors NonRetryableError."""

    def __init__(self, message: str, non_retryable: bool) -> None:
        super().__init__(message)
        self.non_retryable = non_retryable


class _PipeSink:
    """The child's sink: each report goes up the pipe (the parent keeps the latest)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def report(self, job_id: int, attempt: int, update: ProgressUpdate) -> None:
        self._conn.send(("progress", job_id, attempt, update))


def _child(fn: Callable[..., Any], payload: Any, ctx: Any, conn: Connection) -> None:
    if isinstance(ctx, JobContext):
        ctx.sink = _PipeSink(conn)
    try:
        result = fn(payload, ctx)
        conn.send(("ok", result))
    except RetryLaterError as exc:  # the parent raises it again, seconds and key intact
        conn.send(("later", str(exc), exc.seconds, exc.key))
    except BaseException as exc:  # report everything; the parent decides
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        conn.send(("error", detail, isinstance(exc, NonRetryableError)))
    finally:
        conn.close()


async def run_isolated(fn: Callable[..., Any], payload: Any, ctx: Any) -> Any:
    """Await fn's result from a child process; cancelling this coroutine kills the child."""
    loop = asyncio.get_running_loop()
    sink: ProgressSink | None = ctx.sink if isinstance(ctx, JobContext) else None
    child_ctx = replace(ctx, sink=None) if isinstance(ctx, JobContext) else ctx  # picklable
    parent, child_end = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_child, args=(fn, payload, child_ctx, child_end),
                               daemon=True)
    process.start()
    child_end.close()
    readable = asyncio.Event()
    loop.add_reader(parent.fileno(), readable.set)
    try:
        while True:
            await readable.wait()
            readable.clear()
            try:
                message = parent.recv()
            except EOFError:
                await loop.run_in_executor(None, process.join, 5)
                raise IsolatedHandlerError(
                    f"handler process died (exit code {process.exitcode})", False) from None
            if message[0] != "progress":
                break
            if sink is not None:
                sink.report(message[1], message[2], message[3])
            if parent.poll():  # more already waiting: the reader fires once per readiness
                readable.set()
    finally:
        loop.remove_reader(parent.fileno())
        parent.close()
        if process.is_alive():
            process.kill()
        await loop.run_in_executor(None, process.join, 5)
    if message[0] == "ok":
        return message[1]
    if message[0] == "later":
        raise RetryLaterError(message[2], message[1], key=message[3])
    raise IsolatedHandlerError(message[1], bool(message[2]))
