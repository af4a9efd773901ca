"""Prometheus metrics: names and labels, counters, scrape-time queue gauges, parseability."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from supajobs import TransientError
from supajobs_worker.observability.metrics import JobMetrics

from .dashboard_fakes import FakeTransport, fake_client


def samples(body: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(body.decode()):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def value(found: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str,
          **labels: str) -> float | None:
    return found.get((name, tuple(sorted(labels.items()))))


async def test_job_counters_and_duration_histogram() -> None:
    metrics = JobMetrics(process=False)
    metrics.job_enqueued("email_scan", 3)
    for _ in range(2):
        metrics.job_started("email_scan")
    metrics.job_completed("email_scan", 0.3)
    metrics.job_failed("email_scan", 12.0, dead=True)
    metrics.webhook_request("bad_signature")
    body, content_type = await metrics.exposition()
    assert content_type.startswith("text/plain")
    found = samples(body)
    assert value(found, "supajobs_jobs_enqueued_total", job_type="email_scan") == 3
    assert value(found, "supajobs_jobs_started_total", job_type="email_scan") == 2
    assert value(found, "supajobs_jobs_completed_total", job_type="email_scan") == 1
    assert value(found, "supajobs_jobs_failed_total", job_type="email_scan") == 1
    assert value(found, "supajobs_jobs_dead_total", job_type="email_scan") == 1
    assert value(found, "supajobs_job_duration_seconds_count", job_type="email_scan") == 2
    assert value(found, "supajobs_job_duration_seconds_bucket", job_type="email_scan",
                 le="0.5") == 1
    assert value(found, "supajobs_webhook_requests_total", outcome="bad_signature") == 1
    assert value(found, "supajobs_webhook_requests_total", outcome="accepted") == 0


async def test_queue_gauges_are_read_from_queue_stats_at_scrape_time() -> None:
    fake = FakeTransport()
    metrics = JobMetrics(process=False)
    found = samples((await metrics.exposition(fake_client(fake)))[0])
    assert value(found, "supajobs_queue_stats_up") == 1
    assert value(found, "supajobs_queue_depth", job_type="email_scan", status="queued") == 3
    assert value(found, "supajobs_queue_depth", job_type="email_scan", status="dead") == 2
    assert value(found, "supajobs_queue_depth", job_type="backup_create", status="succeeded") == 5
    assert value(found, "supajobs_oldest_due_age_seconds", job_type="email_scan") == 42
    assert value(found, "supajobs_oldest_due_age_seconds", job_type="report_generate") == 0
    assert value(found, "supajobs_breaker_open", scope="type:email_scan") == 1
    assert value(found, "supajobs_breaker_open", scope="global") == 0
    assert value(found, "supajobs_breaker_open", scope="type:backup_create") == 0

    fake.responses["queue_stats"] = []  # a later scrape sees the new state
    fake.responses["list_breakers"] = []
    found = samples((await metrics.exposition(fake_client(fake)))[0])
    assert value(found, "supajobs_queue_depth", job_type="email_scan", status="queued") is None
    assert value(found, "supajobs_breaker_open", scope="global") == 0


async def test_unreadable_database_reports_down_instead_of_stale_gauges() -> None:
    fake = FakeTransport()
    metrics = JobMetrics(process=False)
    await metrics.exposition(fake_client(fake))
    fake.responses["queue_stats"] = TransientError("database connection failed", applied=False)
    found = samples((await metrics.exposition(fake_client(fake)))[0])
    assert value(found, "supajobs_queue_stats_up") == 0
    assert not [k for k in found if k[0] == "supajobs_queue_depth"]


async def test_process_metrics_are_exposed() -> None:
    found = samples((await JobMetrics().exposition())[0])
    rss = value(found, "process_resident_memory_bytes")
    assert rss is not None and rss > 0
    assert value(found, "process_cpu_seconds_total") is not None


async def test_separate_instances_do_not_share_counters() -> None:
    one, two = JobMetrics(process=False), JobMetrics(process=False)
    one.job_started("email_scan")
    found = samples((await two.exposition())[0])
    assert value(found, "supajobs_jobs_started_total", job_type="email_scan") is None
