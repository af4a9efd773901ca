"""Run a handler in its own process so that a stuck or CPU-bound one can be killed.

A thread cannot be stopped; a process can. The child runs `fn(payload, ctx)` and sends back
the result or the error; on timeout or cancellation the parent kills it (SIGKILL).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from supajobs_worker.registry import NonRetryableError, RetryLaterError

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


def _child(fn: Callable[..., Any], payload: Any, ctx: Any, conn: Connection) -> None:
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
    parent, child_end = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_child, args=(fn, payload, ctx, child_end), daemon=True)
    process.start()
    child_end.close()
    ready: asyncio.Future[None] = loop.create_future()

    def readable() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(parent.fileno(), readable)
    try:
        await ready
        try:
            message = parent.recv()
        except EOFError:
            await loop.run_in_executor(None, process.join, 5)
            raise IsolatedHandlerError(
                f"handler process died (exit code {process.exitcode})", False) from None
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
