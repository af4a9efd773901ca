"""The claim / execute / record loop shared by the webhook and the listen worker.

At most `concurrency` handlers run and at most `concurrency` results wait to be written; a
slot frees when its handler returns, so the next claim overlaps the last batch's write.
After a wake-up it claims until a claim comes back empty, then idles (docs/worker.md).
"""

from __future__ import annotations

import asyncio
import logging
from functools import partial

from supajobs.claimed import ClaimedJob, WorkItem
from supajobs.client import AsyncJobsClient
from supajobs.errors import ConfigurationError, SupajobsError
from supajobs_worker.breakers.guard import ResourceBreakers
from supajobs_worker.claiming import claim_traced
from supajobs_worker.config import WorkerConfig
from supajobs_worker.deadlines import BatchDeadline, arm
from supajobs_worker.execute import Verdict, run_handler, time_limit
from supajobs_worker.flow_wake import FlowWaker
from supajobs_worker.metrics import WorkerMetrics
from supajobs_worker.observability.job_spans import JobTrace
from supajobs_worker.progress_writer import ProgressBuffer
from supajobs_worker.pump import ClaimPump
from supajobs_worker.registry import Registry
from supajobs_worker.resources import ResourceMonitor
from supajobs_worker.results import ResultRecorder, count, submit
from supajobs_worker.running import Running

log = logging.getLogger("supajobs_worker.runner")


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
        self.in_flight: dict[int, Running] = {}  # handlers running, and results being written
        self.handling = 0                        # of those, handlers still running
        self.accepting = True
        self.breakers = ResourceBreakers()  # the service sets the real ones (breakers/build)
        self.reserved = 0                        # slots asked for by claims under way
        self.pump = ClaimPump(self, config)
        self.progress = ProgressBuffer()  # the handlers' reports, written by the service
        self.flow = FlowWaker(client, self.job_types, self.wake)
        self.metrics.accepting.set(1)
        self.metrics.in_flight.set_function(lambda: len(self.in_flight))  # read at scrape time

    def free(self) -> int:
        """Slots for new jobs: handlers below concurrency, and unwritten results too."""
        reserved, limit = self.reserved, self.config.concurrency
        return min(limit - self.handling, 2 * limit - len(self.in_flight)) - reserved

    def can_claim(self) -> bool:
        return (self.accepting and not self.breakers.paused
                and not self.monitor.over_threshold())

    async def claim(self) -> list[ClaimedJob]:
        """Claim up to the free capacity and start the jobs; [] when full or not accepting."""
        wanted = self.free()
        if wanted <= 0 or not self.can_claim():
            return []
        jobs, traces = await claim_traced(self, wanted)
        self.flow.after_claim(wanted, len(jobs))
        deadlines = arm(jobs, self._limit, self._expire)
        for job in jobs:
            self._start(job, deadlines[job.id], traces.get(job.id))
        return jobs

    def _limit(self, job: WorkItem) -> float:
        handler = self.registry.get(job.job_type)
        return float(job.timeout_seconds) if handler is None else time_limit(handler, job)

    def _expire(self, job_ids: list[int]) -> None:
        """A batch's time limit passed: stop those of its handlers still running."""
        for job_id in job_ids:
            running = self.in_flight.get(job_id)
            if running is not None and running.in_handler:  # (not one still starting)
                self.stop_job(job_id, "timeout")

    def wake(self) -> None:
        """Work may be due: claim until none is left (one pump at a time)."""
        self.pump.wake()

    async def stop_claiming(self) -> None:
        """No new claims; wait for claims already on their way (their jobs must be tracked)."""
        self.accepting = False
        self.metrics.accepting.set(0)
        self.flow.stop()
        await self.pump.stop()
        while self.reserved > 0:
            await asyncio.sleep(0.01)

    def _start(self, job: ClaimedJob, deadline: BatchDeadline, spans: JobTrace | None) -> None:
        task = asyncio.get_running_loop().create_task(self._run(job), name=f"job-{job.id}")
        self.in_flight[job.id] = Running(job, task, deadline, spans)
        self.handling += 1
        self.metrics.of(job.job_type).started += 1

    async def _run(self, job: ClaimedJob) -> None:
        running = self.in_flight[job.id]
        verdict: Verdict | None = None
        try:
            if running.stop_reason is not None:  # stopped before it started (see stop_job)
                raise asyncio.CancelledError
            handler = self.registry.get(job.job_type)
            if handler is None:  # not claimable by design; give it back if it happens
                running.stop_reason = "shutdown"
                await self.client.worker.release(self.worker_id, [job.id])
                return
            running.in_handler = True
            run = partial(run_handler, handler, job, self.worker_id, expired=running.expired,
                          progress=self.progress)
            if running.spans is None:
                verdict = await run()
            else:  # the run span is current: what the handler enqueues joins its trace
                with running.spans.running():
                    verdict = await run()
            running.recording = True  # from here on nothing cancels it; its lease is still beaten
        except asyncio.CancelledError:
            if running.stop_reason == "lost":
                self.metrics.of(job.job_type).lost += 1
        except SupajobsError as exc:  # the lease expires and the job is retried
            log.error("releasing job %s failed: %s", job.id, exc)
        finally:
            self.handling -= 1
            running.deadline.finished()
            if verdict is None:
                self.in_flight.pop(job.id, None)
                if running.spans is not None:
                    running.spans.dropped(running.stop_reason)
            else:  # it leaves in_flight (and the heartbeat) once its result is written
                if running.spans is not None:
                    running.spans.recording(verdict)
                submit(self.recorder, self.metrics, job, verdict,
                       partial(self._written, job, verdict))
                if not self.handling:  # nobody else is about to join the batch: send it now
                    self.recorder.flush()
            self.pump.room_changed()

    def _written(self, job: ClaimedJob, verdict: Verdict, outcome: str | None) -> None:
        if outcome is not None:  # None: the write failed (logged); the lease will expire
            count(self.metrics, job, verdict, outcome)
        running = self.in_flight.pop(job.id, None)
        if running is not None and running.spans is not None:
            running.spans.written(outcome)
        self.pump.room_changed()
        self.flow.finished(job.job_type)

    def stop_job(self, job_id: int, reason: str) -> None:
        """Cancel a running handler (its lease is gone, or we are shutting down)."""
        running = self.in_flight.get(job_id)
        if running is not None and not running.recording and running.stop_reason is None:
            running.stop_reason = reason
            if running.in_handler:  # a task cancelled before its first step would skip _run
                running.task.cancel()
