"""The rate limits on /metrics and on the dashboard's overview (the fakes' two limits of one
paused key), and in `supajobs stats --limits`."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from supajobs_worker.dashboard.overview import ViewSettings, overview
from supajobs_worker.metrics import WorkerMetrics
from supajobs_worker.resources import ResourceMonitor

from .dashboard_fakes import FakeTransport, fake_client


async def test_metrics_show_use_remaining_budget_and_the_pause() -> None:
    body = await WorkerMetrics().exposition(ResourceMonitor(), fake_client(FakeTransport()))
    found = {(s.name, tuple(sorted(s.labels.items()))): s.value
             for family in text_string_to_metric_families(body.decode()) for s in family.samples}
    window = (("job_type", "email_scan"), ("limit", "5/1s"), ("rate_key", "inbox"))
    running = (("job_type", "email_scan"), ("limit", "running<=2"), ("rate_key", "inbox"))
    assert found[("supajobs_rate_limit_used", window)] == 5
    assert found[("supajobs_rate_limit_remaining", window)] == 0
    assert found[("supajobs_rate_limit_remaining", running)] == 1
    assert found[("supajobs_rate_limit_paused",
                  (("job_type", "email_scan"), ("rate_key", "inbox")))] == 1


async def test_the_overview_lists_each_limit() -> None:
    data = await overview(fake_client(FakeTransport()), ViewSettings())
    assert [(r["limit"], r["used"], r["remaining"]) for r in data["rate_limits"]] == [
        ("5/1s", 5, 0), ("running<=2", 1, 1)]
    assert data["rate_limits"][0]["pause_reason"] == "429 Too Many Requests"
