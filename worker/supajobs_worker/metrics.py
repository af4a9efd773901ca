"""Prometheus metrics, one registry per worker (several workers may share a test process)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from supajobs import AsyncJobsClient
from supajobs_worker.observability.queue_collector import QueueCollector
from supajobs_worker.resources import ResourceMonitor

DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800)


@dataclass(frozen=True)
class TypeMetrics:
    """The label children of one job type, looked up once (labels() costs µs per call)."""

    started: Any
    completed: Any
    lost: Any
    released: Any
    duration: Any


class WorkerMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.started = Counter("supajobs_jobs_started", "Jobs claimed and started",
                               ["job_type"], registry=r)
        self.completed = Counter("supajobs_jobs_completed", "Jobs completed", ["job_type"],
                                 registry=r)
        self.failed = Counter("supajobs_jobs_failed", "Job attempts failed",
                              ["job_type", "reason"], registry=r)
        self.released = Counter("supajobs_jobs_released", "Jobs given back on shutdown",
                                ["job_type"], registry=r)
        self.lost = Counter("supajobs_jobs_lost", "Jobs stopped because the lease was lost "
                            "or the job cancelled", ["job_type"], registry=r)
        self.duration = Histogram("supajobs_job_duration_seconds", "Handler run time",
                                  ["job_type"], buckets=DURATION_BUCKETS, registry=r)
        self.webhooks = Counter("supajobs_webhook_requests", "Webhook requests by outcome",
                                ["outcome"], registry=r)
        self.in_flight = Gauge("supajobs_worker_in_flight", "Jobs running now", registry=r)
        self.accepting = Gauge("supajobs_worker_accepting", "1 while the worker claims work",
                               registry=r)
        self.rss = Gauge("supajobs_worker_rss_bytes", "Resident set size", registry=r)
        self.cpu = Gauge("supajobs_worker_cpu_percent", "Process CPU use since last sample",
                         registry=r)
        self.memory = Gauge("supajobs_worker_memory_percent", "Machine memory in use",
                            registry=r)
        # Queue depth, oldest due age and breakers, read from the database at scrape time.
        self.queue = QueueCollector()
        r.register(self.queue)
        self._types: dict[str, TypeMetrics] = {}
        self._failed: dict[tuple[str, str], Any] = {}

    def of(self, job_type: str) -> TypeMetrics:
        found = self._types.get(job_type)
        if found is None:
            found = self._types[job_type] = TypeMetrics(
                self.started.labels(job_type), self.completed.labels(job_type),
                self.lost.labels(job_type), self.released.labels(job_type),
                self.duration.labels(job_type))
        return found

    def failed_of(self, job_type: str, reason: str) -> Any:
        key = (job_type, reason)
        found = self._failed.get(key)
        if found is None:
            found = self._failed[key] = self.failed.labels(job_type, reason)
        return found

    async def exposition(self, monitor: ResourceMonitor, client: AsyncJobsClient | None) -> bytes:
        if client is not None:
            await self.queue.refresh(client)
        return self.render(monitor)

    def render(self, monitor: ResourceMonitor) -> bytes:
        sample = monitor.sample()
        self.rss.set(sample.rss_bytes)
        self.cpu.set(sample.cpu_percent)
        self.memory.set(sample.memory_percent)
        return generate_latest(self.registry)
