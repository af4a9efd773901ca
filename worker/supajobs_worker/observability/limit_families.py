"""The rate limits as gauges: per (job type, rate key, limit) what is used and what remains,
and whether the key is paused because a handler reported throttling."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily

from supajobs import RateLimitStat

LABELS = ["job_type", "rate_key", "limit"]


def limit_name(stat: RateLimitStat) -> str:
    """"5/1s" for a window of 5 starts per second, "running<=2" for key concurrency."""
    if stat.limit_kind == "starts" and stat.per_seconds is not None:
        return f"{stat.capacity}/{stat.per_seconds:g}s"
    return f"running<={stat.capacity}"


def limit_families(limits: list[RateLimitStat]) -> Iterator[GaugeMetricFamily]:
    used = GaugeMetricFamily("supajobs_rate_limit_used",
                             "Starts within the window (or running jobs) of a rate-limit bucket",
                             labels=LABELS)
    remaining = GaugeMetricFamily("supajobs_rate_limit_remaining",
                                  "What the bucket's limit still admits now", labels=LABELS)
    paused = GaugeMetricFamily("supajobs_rate_limit_paused",
                               "1 while the key is paused after a handler reported throttling",
                               labels=["job_type", "rate_key"])
    seen: set[tuple[str, str]] = set()
    for stat in limits:
        labels = [stat.job_type, stat.rate_key, limit_name(stat)]
        used.add_metric(labels, float(stat.used))
        remaining.add_metric(labels, float(stat.remaining))
        if (stat.job_type, stat.rate_key) not in seen:
            seen.add((stat.job_type, stat.rate_key))
            paused.add_metric([stat.job_type, stat.rate_key],
                              1.0 if stat.paused_until is not None else 0.0)
    yield used
    yield remaining
    yield paused
