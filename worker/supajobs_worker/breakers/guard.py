"""ResourceBreakers: the worker's own breakers, checked every few seconds. While one is open
the worker claims nothing (running jobs go on); each trip and its end is recorded in the
database like the queue's breakers (jobs.open_worker_breaker: breaker_trips, an alert) and
logged. Recording never holds up the check: it is retried at the next one until it lands.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from supajobs.client import AsyncJobsClient
from supajobs.errors import SupajobsError

log = logging.getLogger("supajobs_worker.breakers")


class Breaker(Protocol):
    kind: str
    open: bool
    reason: str

    def check(self) -> str | None: ...

    def details(self) -> dict[str, Any]: ...


class ResourceBreakers:
    def __init__(self, breakers: Sequence[Breaker] = ()) -> None:
        self.breakers = list(breakers)
        self._recorded = {b.kind: False for b in self.breakers}  # what the database knows
        self._syncing: set[asyncio.Task[None]] = set()

    @property
    def paused(self) -> bool:
        return any(b.open for b in self.breakers)

    def open_kinds(self) -> list[str]:
        return [b.kind for b in self.breakers if b.open]

    def check(self) -> list[tuple[Breaker, str]]:
        """Sample every breaker; the state changes, logged."""
        changes = []
        for breaker in self.breakers:
            change = breaker.check()
            if change == "open":
                log.error("breaker %s open: %s", breaker.kind, breaker.reason,
                          extra={"breaker": breaker.kind, **breaker.details()})
            elif change == "close":
                log.warning("breaker %s closed: claiming again", breaker.kind,
                            extra={"breaker": breaker.kind, **breaker.details()})
            if change is not None:
                changes.append((breaker, change))
        return changes

    def sync(self, client: AsyncJobsClient, worker_id: str) -> None:
        """Start recording what the database does not know yet (one call at a time)."""
        if self._syncing:
            return
        for breaker in self.breakers:
            if breaker.open != self._recorded[breaker.kind]:
                task = asyncio.get_running_loop().create_task(
                    self._record(client, worker_id, breaker, breaker.open))
                self._syncing.add(task)
                task.add_done_callback(self._syncing.discard)

    async def _record(self, client: AsyncJobsClient, worker_id: str, breaker: Breaker,
                      opened: bool) -> None:
        try:
            if opened:
                await client.worker.open_breaker(worker_id, breaker.kind, breaker.reason,
                                                 breaker.details())
            else:
                await client.worker.close_breaker(worker_id, breaker.kind)
            self._recorded[breaker.kind] = opened
        except SupajobsError as exc:  # the pool may be what is exhausted: try again later
            log.warning("recording breaker %s failed: %s", breaker.kind, exc)

    async def settle(self) -> None:
        """Wait for the recordings under way (tests, shutdown)."""
        while self._syncing:
            await asyncio.gather(*self._syncing, return_exceptions=True)


async def keep_watching(breakers: ResourceBreakers, client: AsyncJobsClient, worker_id: str,
                        interval: float, resumed: Callable[[], None]) -> None:
    """Run until cancelled; `resumed` is called when the last open breaker closes."""
    while True:
        if breakers.check() and not breakers.paused:
            resumed()
        breakers.sync(client, worker_id)
        await asyncio.sleep(interval)
