"""A worker's life: start (client, heartbeats), run, and stop gracefully.

SIGTERM: stop claiming, let in-flight jobs finish within the grace period, then give the
rest back with release_jobs (the attempt is not counted as a failure) and say goodbye.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from supajobs.client import AsyncJobsClient
from supajobs.errors import SupajobsError
from supajobs_worker.breakers.build import build_breakers
from supajobs_worker.breakers.guard import ResourceBreakers, keep_watching
from supajobs_worker.config import WorkerConfig
from supajobs_worker.declare import keep_declaring
from supajobs_worker.lease import keep_alive, report
from supajobs_worker.metrics import WorkerMetrics
from supajobs_worker.progress_writer import keep_writing
from supajobs_worker.registry import REGISTRY, Registry
from supajobs_worker.resources import ResourceMonitor
from supajobs_worker.runner import Runner

log = logging.getLogger("supajobs_worker.service")
DECLARE_WAIT_SECONDS = 10.0  # then claim anyway; the declaration goes on in the background


class WorkerService:
    def __init__(self, config: WorkerConfig, registry: Registry = REGISTRY, *, mode: str,
                 client: AsyncJobsClient | None = None,
                 monitor: ResourceMonitor | None = None,
                 breakers: ResourceBreakers | None = None) -> None:
        self.config, self.mode = config, mode
        self.client = client or AsyncJobsClient(config.transport())
        self.runner = Runner(config, registry, self.client, metrics=WorkerMetrics(),
                             monitor=monitor)
        self.runner.breakers = breakers or build_breakers(config, self.client.transport)
        self.runner.metrics.watch_breakers(self.runner.breakers)
        self.registry = registry
        self._keeper: asyncio.Task[None] | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._declaring: asyncio.Task[None] | None = None
        self._progress: asyncio.Task[None] | None = None

    async def start(self) -> None:
        known = self.registry.declarations()
        declared = {t: known[t] for t in self.runner.job_types if t in known}
        if declared:  # before the first claim, so a custom type needs no separate call
            self._declaring = asyncio.get_running_loop().create_task(
                keep_declaring(self.client, declared))
            await asyncio.wait([self._declaring], timeout=DECLARE_WAIT_SECONDS)
        await self.runner.flow.learn()  # which of our types have rate limits
        loop = asyncio.get_running_loop()
        self._keeper = loop.create_task(keep_alive(self.runner, self.mode))
        self._watcher = loop.create_task(keep_watching(
            self.runner.breakers, self.client, self.config.worker_id,
            self.config.breaker_check_seconds, self.runner.wake))
        self._progress = loop.create_task(keep_writing(self.runner.progress, self.client,
                                                       self.config.worker_id))
        self.runner.wake()  # claim what is already due: a fresh instance is a wake-up too
        log.info("worker %s (%s) handles %s, concurrency %d", self.config.worker_id, self.mode,
                 ", ".join(self.runner.job_types), self.config.concurrency)

    async def stop(self, grace: float | None = None) -> list[int]:
        """Stop claiming, finish or release in-flight work; returns the released job ids."""
        runner = self.runner
        await runner.stop_claiming()
        grace = self.config.shutdown_grace_seconds if grace is None else grace
        tasks = [r.task for r in runner.in_flight.values()]
        if tasks:
            await asyncio.wait(tasks, timeout=grace)
        leftovers = [r for r in runner.in_flight.values() if not r.task.done()]
        for running in leftovers:
            runner.stop_job(running.job.id, "shutdown")
        if leftovers:
            await asyncio.gather(*(r.task for r in leftovers), return_exceptions=True)
        await runner.recorder.drain()
        released = [r.job.id for r in leftovers if r.stop_reason == "shutdown"]
        if released:
            try:
                outcomes = await self.client.worker.release(runner.worker_id, released)
                for running in leftovers:
                    runner.metrics.of(running.job.job_type).released += 1
                log.info("released %s", [(o.job_id, o.outcome) for o in outcomes])
            except SupajobsError as exc:  # the leases expire; the sweeper retries them
                log.error("release_jobs failed: %s", exc)
        for task in (self._keeper, self._declaring, self._watcher, self._progress):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await report(runner, self.mode, stopped=True)
        await self.client.aclose()
        return released
