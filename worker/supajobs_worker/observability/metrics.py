"""Prometheus metrics of a worker: job counters and durations by type, webhook outcomes,
queue gauges read at scrape time, and the process's RSS and CPU.

    metrics = JobMetrics()
    metrics.job_started("email_scan")
    body, content_type = await metrics.exposition(client)   # serve at /metrics
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.process_collector import ProcessCollector

from supajobs import AsyncJobsClient
from supajobs_worker.observability.queue_collector import QueueCollector

DURATION_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
# Outcomes are "accepted" or the refusal reason (bad_signature, stale_timestamp,
# shutting_down, memory_pressure, claim_failed, ...); accepted is shown from the start.
WEBHOOK_OUTCOMES = ("accepted",)


class JobMetrics:
    """One registry per instance, so several workers (or tests) never share counters."""

    def __init__(self, registry: CollectorRegistry | None = None, *,
                 process: bool = True) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry

        def counter(name: str, doc: str, labels: list[str]) -> Counter:
            return Counter(name, doc, labels, registry=r)

        # prometheus_client appends _total to counter names on exposition.
        self.enqueued = counter("supajobs_jobs_enqueued", "Jobs enqueued", ["job_type"])
        self.started = counter("supajobs_jobs_started", "Job attempts started", ["job_type"])
        self.completed = counter("supajobs_jobs_completed", "Job attempts completed",
                                 ["job_type"])
        self.failed = counter("supajobs_jobs_failed", "Job attempts failed (timeouts too)",
                              ["job_type"])
        self.dead = counter("supajobs_jobs_dead", "Jobs moved to the dead-letter queue",
                            ["job_type"])
        self.webhooks = counter("supajobs_webhook_requests", "Webhook requests by outcome",
                                ["outcome"])
        self.duration = Histogram("supajobs_job_duration_seconds", "Handler run time",
                                  ["job_type"], buckets=DURATION_BUCKETS, registry=r)
        for outcome in WEBHOOK_OUTCOMES:  # present at 0 before the first request
            self.webhooks.labels(outcome)
        self.queue = QueueCollector()
        r.register(self.queue)
        if process:  # process_resident_memory_bytes, process_cpu_seconds_total, ...
            ProcessCollector(registry=r)

    def job_enqueued(self, job_type: str, count: int = 1) -> None:
        self.enqueued.labels(job_type).inc(count)

    def job_started(self, job_type: str) -> None:
        self.started.labels(job_type).inc()

    def job_completed(self, job_type: str, seconds: float) -> None:
        self.completed.labels(job_type).inc()
        self.duration.labels(job_type).observe(seconds)

    def job_failed(self, job_type: str, seconds: float, *, dead: bool = False) -> None:
        self.failed.labels(job_type).inc()
        self.duration.labels(job_type).observe(seconds)
        if dead:
            self.dead.labels(job_type).inc()

    def webhook_request(self, outcome: str) -> None:
        self.webhooks.labels(outcome).inc()

    async def exposition(self, client: AsyncJobsClient | None = None) -> tuple[bytes, str]:
        """The text exposition; with a client, queue gauges are read from the database first."""
        if client is not None:
            await self.queue.refresh(client)
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
