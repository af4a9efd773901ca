"""Scrape-time queue gauges in the worker's /metrics: parseable, current, honest when down."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from supajobs import TransientError
from supajobs_worker.metrics import WorkerMetrics
from supajobs_worker.resources import ResourceMonitor

from .dashboard_fakes import FakeTransport, fake_client


def samples(body: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(body.decode()) for s in family.samples}


async def test_queue_gauges_follow_the_database() -> None:
    fake = FakeTransport()
    metrics = WorkerMetrics()
    found = samples(await metrics.exposition(ResourceMonitor(), fake_client(fake)))
    assert found[("supajobs_queue_stats_up", ())] == 1
    assert any(name == "supajobs_queue_depth" for name, _ in found)
    assert found[("supajobs_worker_rss_bytes", ())] > 0
    fake.responses["queue_stats"] = TransientError("database connection failed", applied=False)
    found = samples(await metrics.exposition(ResourceMonitor(), fake_client(fake)))
    assert found[("supajobs_queue_stats_up", ())] == 0
    assert not [k for k in found if k[0] == "supajobs_queue_depth"]  # no stale numbers


async def test_without_a_client_only_worker_metrics() -> None:
    found = samples(await WorkerMetrics().exposition(ResourceMonitor(), None))
    assert found[("supajobs_queue_stats_up", ())] == 0
