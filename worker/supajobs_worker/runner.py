"""The claim / execute / record loop shared by the webhook and the listen worker.

Bounded: never more than `concurrency` jobs in flight. After a wake-up it keeps claiming
as slots free up until a claim comes back empty, then idles until the next wake-up.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from supajobs.client import AsyncJobsClient
from supajobs.errors import ConfigurationError, SupajobsError
from supajobs.models import Job
from supajobs_worker.config import WorkerConfig
from supajobs_worker.execute import run_handler
from supajobs_worker.metrics import WorkerMetrics
from supajobs_worker.registry import Registry
from supajobs_worker.resources import ResourceMonitor
from supajobs_worker.results import ResultRecorder, record

log = logging.getLogger("supajobs_worker.runner")


@dataclass
class Running:
    job: Job
    task: asyncio.Task[None]
    stop_reason: str | None = None  # "lost" or "shutdown" once asked to stop
    recording: bool = False         # the handler is done; only the write is pending


class Runner:
    def __init__(self, config: WorkerConfig, registry: Registry, client: AsyncJobsClient, *,
                 metrics: WorkerMetrics | None = None,
                 monitor: ResourceMonitor | None = None) -> None:
        self.config, self.registry, self.client = config, registry, client
        self.worker_id = config.worker_id
        self.job_types = list(config.job_types or registry.job_types())
        missing = [t for t in self.job_types if registry.get(t) is None]
        if missing or not self.job_types:
            raise ConfigurationError(f"no handler registered for job types {missing or 'any'}")
        self.metrics = metrics or WorkerMetrics()
        self.monitor = monitor or ResourceMonitor(config.memory_threshold_percent)
        self.recorder = ResultRecorder(client, self.worker_id,
                                       interval=config.flush_interval_seconds,
                                       max_items=config.flush_max_items)
        self.in_flight: dict[int, Running] = {}
        self.accepting = True
        self._reserved = 0
        self._pump: asyncio.Task[None] | None = None
        self._again = False
        self._slot = asyncio.Event()
        self.metrics.accepting.set(1)

    def free(self) -> int:
        return self.config.concurrency - len(self.in_flight) - self._reserved

    def can_claim(self) -> bool:
        return self.accepting and not self.monitor.over_threshold()

    async def claim(self) -> list[Job]:
        """Claim up to the free capacity and start the jobs; [] when full or not accepting."""
        wanted = self.free()
        if wanted <= 0 or not self.can_claim():
            return []
        self._reserved += wanted  # concurrent claimers must not both count the same slots
        try:
            jobs = await self.client.worker.claim(self.worker_id, self.job_types, wanted,
                                                  self.config.lease_seconds)
        finally:
            self._reserved -= wanted
        for job in jobs:
            self._start(job)
        return jobs

    def wake(self) -> None:
        """Work may be due: claim until none is left (one pump at a time)."""
        self._again = True
        if self.accepting and (self._pump is None or self._pump.done()):
            self._pump = asyncio.get_running_loop().create_task(self._drain_queue())

    async def _drain_queue(self) -> None:
        while self.accepting:
            if self.free() <= 0:
                self._slot.clear()
                await self._slot.wait()
                continue
            self._again = False
            try:
                jobs = await self.claim()
            except SupajobsError as exc:  # the next wake-up or sweep tries again
                log.warning("claim failed: %s", exc)
                return
            if not jobs and not self._again:
                return

    async def stop_claiming(self) -> None:
        """No new claims; wait for claims already on their way (their jobs must be tracked)."""
        self.accepting = False
        self.metrics.accepting.set(0)
        self._slot.set()
        if self._pump is not None:
            await asyncio.gather(self._pump, return_exceptions=True)
        while self._reserved > 0:
            await asyncio.sleep(0.01)

    def _start(self, job: Job) -> None:
        task = asyncio.get_running_loop().create_task(self._run(job), name=f"job-{job.id}")
        self.in_flight[job.id] = Running(job, task)
        self.metrics.started.labels(job.job_type).inc()
        self.metrics.in_flight.set(len(self.in_flight))

    async def _run(self, job: Job) -> None:
        running = self.in_flight[job.id]
        try:
            handler = self.registry.get(job.job_type)
            if handler is None:  # not claimable by design; give it back if it happens
                running.stop_reason = "shutdown"
                await self.client.worker.release(self.worker_id, [job.id])
                return
            verdict = await run_handler(handler, job, self.worker_id)
            running.recording = True
            await record(self.recorder, self.metrics, job, verdict)
        except asyncio.CancelledError:
            if running.stop_reason == "lost":
                self.metrics.lost.labels(job.job_type).inc()
        except SupajobsError as exc:  # the lease expires and the job is retried
            log.error("recording job %s failed: %s", job.id, exc)
        finally:
            self.in_flight.pop(job.id, None)
            self.metrics.in_flight.set(len(self.in_flight))
            self._slot.set()

    def stop_job(self, job_id: int, reason: str) -> None:
        """Cancel a running handler (its lease is gone, or we are shutting down)."""
        running = self.in_flight.get(job_id)
        if running is not None and not running.recording and running.stop_reason is None:
            running.stop_reason = reason
            running.task.cancel()
