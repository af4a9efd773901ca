"""The claim pump: after a wake-up, claim until a claim comes back empty, in good-sized bites.

One claim of half the slots (or of a full result batch) beats several small ones, because
every claim pays a fixed cost in PostgreSQL; so while handlers are about to finish, the pump
waits briefly for enough slots rather than trickling.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from supajobs.errors import SupajobsError
from supajobs_worker.config import WorkerConfig

if TYPE_CHECKING:
    from supajobs_worker.runner import Runner

log = logging.getLogger("supajobs_worker.runner")


class ClaimPump:
    def __init__(self, runner: Runner, config: WorkerConfig) -> None:
        self._runner, self._config = runner, config
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._slot = asyncio.Event()
        self._wanted = 1  # the pump sleeps until this many slots are free
        self._floor = max(1, min((config.concurrency + 1) // 2, config.flush_max_items))

    @property
    def idle(self) -> bool:
        return self._task is None or self._task.done()

    def wake(self) -> None:
        self._again = True
        if self._runner.accepting and self.idle:
            self._task = asyncio.get_running_loop().create_task(self._drain())

    def room_changed(self) -> None:
        if self._runner.free() >= self._wanted:
            self._slot.set()

    async def stop(self) -> None:
        self._slot.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def _drain(self) -> None:
        runner = self._runner
        while runner.accepting:
            free = runner.free()
            if free < self._floor and (runner.handling or free <= 0):
                # Slots are about to free up: wait for enough of them, but at most a flush
                # interval while some are free already (a long handler delays nobody long).
                self._wanted = self._floor if free > 0 else 1
                self._slot.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._config.flush_interval_seconds
                                               if free > 0 else None):
                        await self._slot.wait()
                if runner.free() <= 0:
                    continue
            self._again = False
            try:
                jobs = await runner.claim()
            except SupajobsError as exc:  # the next wake-up or sweep tries again
                log.warning("claim failed: %s", exc)
                return
            if not jobs and not self._again:
                return
            if jobs:  # let the jobs just started run before the next claim is sent
                await asyncio.sleep(0)
