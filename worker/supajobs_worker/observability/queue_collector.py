"""Gauges read from the database at scrape time: queue depth, oldest due age, breakers,
and each rate limit's use and remaining budget.

prometheus_client collects synchronously while the SDK is async, so a scrape first awaits
`refresh()` (queue_stats + list_breakers + rate_limit_stats) and the collector then reports
that snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from supajobs import AsyncJobsClient, Breaker, QueueStat, RateLimitStat, SupajobsError
from supajobs_worker.observability.limit_families import limit_families


class QueueCollector(Collector):
    def __init__(self) -> None:
        self._stats: list[QueueStat] = []
        self._breakers: list[Breaker] = []
        self._limits: list[RateLimitStat] = []
        self._up = 0.0

    async def refresh(self, client: AsyncJobsClient) -> None:
        try:
            self._stats = await client.stats()
            self._breakers = await client.breakers.list()
            self._limits = await client.rate_limits()
            self._up = 1.0
        except SupajobsError:
            # Report the failure instead of stale numbers that look healthy.
            self._stats, self._breakers, self._limits, self._up = [], [], [], 0.0

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("supajobs_queue_stats_up",
                               "1 if the last scrape could read queue_stats")
        up.add_metric([], self._up)
        yield up
        if not self._up:
            return
        depth = GaugeMetricFamily("supajobs_queue_depth", "Jobs by type and status",
                                  labels=["job_type", "status"])
        oldest = GaugeMetricFamily("supajobs_oldest_due_age_seconds",
                                   "Age of the oldest due queued job (0 when none is due)",
                                   labels=["job_type"])
        ages: dict[str, float] = {}
        for stat in self._stats:
            ages.setdefault(stat.job_type, 0.0)
            if stat.status is not None:
                depth.add_metric([stat.job_type, stat.status.value], float(stat.jobs))
            if stat.oldest_due_age_seconds is not None:
                ages[stat.job_type] = max(ages[stat.job_type], stat.oldest_due_age_seconds)
        for job_type, age in sorted(ages.items()):
            oldest.add_metric([job_type], age)
        yield depth
        yield oldest
        yield self._breaker_family(sorted(ages))
        yield from limit_families(self._limits)

    def _breaker_family(self, job_types: list[str]) -> GaugeMetricFamily:
        family = GaugeMetricFamily("supajobs_breaker_open",
                                   "1 while the circuit breaker of this scope is open",
                                   labels=["scope"])
        open_scopes = {b.scope for b in self._breakers}
        scopes = {"global", *(f"type:{t}" for t in job_types), *open_scopes}
        for scope in sorted(scopes):
            family.add_metric([scope], 1.0 if scope in open_scopes else 0.0)
        return family
