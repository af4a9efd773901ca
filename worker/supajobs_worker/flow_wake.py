"""Claim again when a rate-limited job may start (docs/flow-control.md).

A full window or a paused key frees up at a known time, but nothing notifies the workers
then; a finished job of a key-limited type lets the key's next job start. So, for the types
with flow limits only: after a short claim the worker asks jobs.rate_limit_wait when the
earliest blocked bucket frees and wakes its pump then, and a finished job wakes it at once.
Types without limits never get here (no extra call per claim).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable

from supajobs.client import AsyncJobsClient
from supajobs.errors import SupajobsError

log = logging.getLogger("supajobs_worker.flow")
SLACK_SECONDS = 0.002  # wake just after the bucket frees, not just before


class FlowWaker:
    def __init__(self, client: AsyncJobsClient, job_types: list[str],
                 wake: Callable[[], None]) -> None:
        self._client, self._handled, self._wake = client, set(job_types), wake
        self.types: frozenset[str] = frozenset()  # handled types with flow limits
        self._timer: asyncio.TimerHandle | None = None
        self._at = math.inf
        self._asking: asyncio.Task[None] | None = None  # kept: a bare task may be collected

    async def learn(self) -> None:
        """Read which handled types have flow limits (at start, and with each report)."""
        try:
            stored = await self._client.job_types.list()
        except SupajobsError as exc:
            log.warning("could not read the job types' flow limits: %s", exc)
            return
        self.types = frozenset(t.name for t in stored if t.name in self._handled and (
            t.rate_limits is not None or t.key_concurrency is not None))

    def after_claim(self, wanted: int, got: int) -> None:
        if self.types and got < wanted and self._asking is None:
            self._asking = asyncio.get_running_loop().create_task(self._ask())

    def finished(self, job_type: str) -> None:
        if job_type in self.types:  # its key (or window) may admit the next one now
            self._wake()

    async def _ask(self) -> None:
        try:
            wait = await self._client.worker.rate_limit_wait(sorted(self.types))
        except SupajobsError as exc:  # the next wake-up or poll tries again
            log.warning("rate_limit_wait failed: %s", exc)
            return
        finally:
            self._asking = None
        if wait is not None:
            self.wake_in(wait)

    def wake_in(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        at = loop.time() + max(0.0, seconds)
        if self._timer is not None and self._at <= at:
            return  # an earlier wake-up is set already
        if self._timer is not None:
            self._timer.cancel()
        self._at = at
        self._timer = loop.call_at(at + SLACK_SECONDS, self._fire)

    def _fire(self) -> None:
        self._timer, self._at = None, math.inf
        self._wake()

    def stop(self) -> None:
        if self._asking is not None:
            self._asking.cancel()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
