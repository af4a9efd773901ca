"""Handler registry: `@handler("send_invoice", payload=Model)` binds a job type to code.

A worker claims only the job types it has handlers for, so a job it cannot run is never
taken from a worker that can.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from supajobs.job_type_options import JobTypeOptions
from supajobs_worker.progress import ProgressSink, progress_update

F = TypeVar("F", bound=Callable[..., Any])
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")  # the database's rule for job type names
MAX_TIMEOUT_SECONDS = 1800


class NonRetryableError(Exception):
    """Raise from a handler when retrying cannot help: the job goes to the dead letters."""


class RetryLaterError(Exception):
    """Raise when the remote side throttles ("try again after S seconds", Retry-After, freee's
    403): the job runs again after `seconds` without spending an attempt, and with `key` that
    key's rate limiter pauses too, so the key's other jobs wait instead of hitting it."""

    def __init__(self, seconds: float, message: str = "", *, key: str | None = None) -> None:
        super().__init__(message or f"throttled: try again in {seconds:g} s")
        self.seconds = max(0.0, float(seconds))
        self.key = key


class EmptyPayload(BaseModel):
    """The default payload model: accepts any object and keeps its fields."""

    model_config = {"extra": "allow"}


@dataclass(slots=True)  # built once per job: a frozen dataclass's __init__ is slower
class JobContext:
    """What a handler may know about its attempt (picklable for isolated handlers)."""

    job_id: int
    job_type: str
    attempt: int
    worker_id: str
    sink: ProgressSink | None = None  # where progress goes (None: nobody listens)

    def progress(self, value: float, message: str | None = None, *,
                 total: float | None = None) -> None:
        """Say how far the job is: a fraction (0.4), a count (12) or a count of a total
        (12, total=40), with an optional message. Cheap: the worker writes the latest
        report at most once a second; get_job, `supajobs jobs watch` and the dashboard
        show it. A bad value raises TypeError or ValueError naming it."""
        update = progress_update(value, message, total=total)
        if self.sink is not None:
            self.sink.report(self.job_id, self.attempt, update)


@dataclass(frozen=True)
class Handler:
    job_type: str
    fn: Callable[..., Any]
    payload: type[BaseModel]
    timeout: float | None
    isolated: bool
    options: JobTypeOptions | None = None  # None: the stored options are left as they are
    is_async: bool = field(init=False)  # asked once here, not per job

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_async", inspect.iscoroutinefunction(self.fn))


class Registry:
    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    def handler(self, job_type: str, *, payload: type[BaseModel] = EmptyPayload,
                timeout: float | None = None, isolated: bool = False,
                options: JobTypeOptions | None = None) -> Callable[[F], F]:
        """Register `fn(payload, ctx)`; async runs on the loop, sync in a thread, or in a
        killable subprocess when isolated=True (then fn must be a module-level function).
        options: the job type's stored options (attempts, timeout, priority, concurrency…),
        which the worker writes at start-up; without them it only creates a missing type."""
        if not isinstance(job_type, str) or not _NAME.match(job_type):
            raise ValueError(f"job type {job_type!r} must be lower-case letters, digits and _")
        if timeout is not None and not 0 < timeout <= MAX_TIMEOUT_SECONDS:
            raise ValueError(f"timeout for {job_type} must be in (0, {MAX_TIMEOUT_SECONDS}] s")
        if not (isinstance(payload, type) and issubclass(payload, BaseModel)):
            raise TypeError(f"payload for {job_type} must be a pydantic model class")
        if options is not None and not isinstance(options, JobTypeOptions):
            raise TypeError(f"options for {job_type} must be a supajobs.JobTypeOptions")

        def register(fn: F) -> F:
            if job_type in self._handlers:
                raise ValueError(f"a handler for {job_type} is already registered")
            self._handlers[job_type] = Handler(job_type, fn, payload, timeout, isolated,
                                               options)
            return fn

        return register

    def get(self, job_type: str) -> Handler | None:
        return self._handlers.get(job_type)

    def job_types(self) -> list[str]:
        return sorted(self._handlers)

    def declarations(self) -> dict[str, JobTypeOptions | None]:
        """What the worker ensures at start-up: each handled type and its declared options."""
        return {name: h.options for name, h in sorted(self._handlers.items())}

    def __len__(self) -> int:
        return len(self._handlers)


REGISTRY = Registry()
handler = REGISTRY.handler
