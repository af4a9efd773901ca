"""Prometheus metrics, one registry per worker (several workers may share a test process)."""

from __future__ import annotations

from functools import partial

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

from supajobs import AsyncJobsClient
from supajobs_worker.breakers.guard import Breaker, ResourceBreakers
from supajobs_worker.job_stats import JobStatsCollector, TypeStats
from supajobs_worker.observability.queue_collector import QueueCollector
from supajobs_worker.resources import ResourceMonitor


class WorkerMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        # Per job type: plain counters, rendered at scrape time (job_stats.py says why).
        self.jobs = JobStatsCollector()
        r.register(self.jobs)
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
        self.breaker_open = Gauge("supajobs_worker_breaker_open",
                                  "1 while this worker's own breaker of that kind is open",
                                  ["kind"], registry=r)
        # Queue depth, oldest due age and breakers, read from the database at scrape time.
        self.queue = QueueCollector()
        r.register(self.queue)

    def watch_breakers(self, breakers: ResourceBreakers) -> None:
        for breaker in breakers.breakers:  # read at scrape time
            self.breaker_open.labels(breaker.kind).set_function(partial(_is_open, breaker))

    def of(self, job_type: str) -> TypeStats:
        return self.jobs.of(job_type)

    def fail(self, job_type: str, reason: str) -> None:
        self.jobs.fail(job_type, reason)

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


def _is_open(breaker: Breaker) -> float:
    return 1.0 if breaker.open else 0.0
