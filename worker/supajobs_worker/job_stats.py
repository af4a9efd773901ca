"""Per-job-type counters and the duration histogram as plain numbers, rendered at scrape time.

prometheus_client's Counter and Histogram take a lock on every update: four locked updates
per job were ~8 % of a busy worker's CPU (docs/benchmarks.md). All updates happen on the
event loop's thread, so plain integers are safe; `JobStatsCollector` turns them into the same
metric families (names, labels, buckets) when /metrics is read.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800)
BOUNDS = (*map(floatToGoString, DURATION_BUCKETS), "+Inf")  # spelt as prometheus_client does


class TypeStats:
    """One job type's counts; `observe` files a handler run time into its bucket."""

    __slots__ = ("buckets", "completed", "lost", "postponed", "released", "seconds", "started")

    def __init__(self) -> None:
        self.started = self.completed = self.lost = self.released = self.postponed = 0
        self.buckets = [0] * (len(DURATION_BUCKETS) + 1)  # the last one is +Inf
        self.seconds = 0.0

    def observe(self, seconds: float) -> None:
        self.buckets[bisect_left(DURATION_BUCKETS, seconds)] += 1  # le: upper bounds inclusive
        self.seconds += seconds

    def cumulative(self) -> list[tuple[str, float]]:
        total, out = 0, []
        for bound, count in zip(BOUNDS, self.buckets, strict=True):
            total += count
            out.append((bound, float(total)))
        return out


COUNTERS = (("started", "supajobs_jobs_started", "Jobs claimed and started"),
            ("completed", "supajobs_jobs_completed", "Jobs completed"),
            ("lost", "supajobs_jobs_lost",
             "Jobs stopped because the lease was lost or the job cancelled"),
            ("released", "supajobs_jobs_released", "Jobs given back on shutdown"),
            ("postponed", "supajobs_jobs_postponed",
             "Jobs postponed without spending an attempt: the remote side throttled"))


class JobStatsCollector(Collector):
    def __init__(self) -> None:
        self.types: dict[str, TypeStats] = {}
        self.failed: dict[tuple[str, str], int] = {}  # (job_type, reason) -> attempts

    def of(self, job_type: str) -> TypeStats:
        found = self.types.get(job_type)
        if found is None:
            found = self.types[job_type] = TypeStats()
        return found

    def fail(self, job_type: str, reason: str) -> None:
        key = (job_type, reason)
        self.failed[key] = self.failed.get(key, 0) + 1

    def collect(self) -> Iterator[Metric]:
        for attr, name, doc in COUNTERS:
            family = CounterMetricFamily(name, doc, labels=["job_type"])
            for job_type, stats in self.types.items():
                family.add_metric([job_type], getattr(stats, attr))
            yield family
        failed = CounterMetricFamily("supajobs_jobs_failed", "Job attempts failed",
                                     labels=["job_type", "reason"])
        for (job_type, reason), count in self.failed.items():
            failed.add_metric([job_type, reason], count)
        yield failed
        duration = HistogramMetricFamily("supajobs_job_duration_seconds", "Handler run time",
                                         labels=["job_type"])
        for job_type, stats in self.types.items():
            duration.add_metric([job_type], stats.cumulative(), stats.seconds)
        yield duration
