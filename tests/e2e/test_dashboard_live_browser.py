"""The dashboard's live view in headless Chromium against a real database: a running job's
progress, reported the way a worker reports it (jobs.report_progress), appears and moves on
the page without a reload, through server-sent events (no polling of api/overview), also
across the stream's planned end and the browser's reconnect."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from e2e.dashboard_server import CHROMIUM_ARGS, serving
from supajobs import AsyncJobsClient
from supajobs.transport.postgres import PostgresTransport
from supajobs_worker.dashboard import build_dashboard_app
from support.rpc import one, rpc

CHROMIUM = Path("/usr/bin/chromium")
TOKEN = "live-view-dashboard-token-4242"
STREAM_SECONDS = 2.0


@pytest.fixture
def dashboard(db_url: str) -> Iterator[str]:
    app = build_dashboard_app(
        lambda: AsyncJobsClient(PostgresTransport(db_url, role="service_role")), TOKEN,
        poll_seconds=0.5, stream_seconds=STREAM_SECONDS)
    with serving(app) as url:
        yield url


def report(svc: psycopg.Connection[Any], job: dict[str, Any], current: int, total: int) -> None:
    update = {"job_id": job["id"], "attempt": job["attempts"], "current": current,
              "total": total, "message": f"reading page {current}"}
    assert rpc(svc, "report_progress", worker_id="w-live", updates=[update])[0] == {
        "report_progress": 1}


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_progress_moves_live_on_the_dashboard(dashboard: str,
                                              svc: psycopg.Connection[Any]) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    expect = playwright_api.expect
    one(svc, "enqueue", job_type="receipt_process", payload={})
    [job] = rpc(svc, "claim", worker_id="w-live", job_types=["receipt_process"], batch_size=1)
    report(svc, job, 1, 4)
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                     headless=True)
        try:
            page = browser.new_page()
            page.set_default_timeout(10_000)
            errors: list[str] = []
            requested: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requested.append(r.url))
            page.goto(f"{dashboard}/login")
            page.fill("#token", TOKEN)
            page.click("button[type=submit]")
            label = page.get_by_test_id(f"progress-{job['id']}")
            expect(label).to_have_text("25 % (1/4) reading page 1")
            expect(page.get_by_test_id("live")).to_have_text("live")
            bar = page.get_by_test_id(f"running-{job['id']}").locator("progress")

            report(svc, job, 3, 4)
            expect(label).to_have_text("75 % (3/4) reading page 3")
            assert bar.evaluate("p => p.value") == pytest.approx(0.75)

            time.sleep(STREAM_SECONDS + 0.5)  # the first stream has ended by now
            report(svc, job, 4, 4)
            expect(label).to_have_text("100 % (4/4) reading page 4")
            one(svc, "complete", worker_id="w-live", job_id=job["id"], attempt=job["attempts"])
            expect(page.get_by_test_id(f"running-{job['id']}")).to_have_count(0)
            expect(page.locator("#running tbody")).to_have_text("none")

            streams = [u for u in requested if u.endswith("/api/events")]
            assert len(streams) >= 2, "the browser reconnected after the stream's end"
            assert not [u for u in requested if u.endswith("/api/overview")], "no polling"
            assert errors == [], "no script errors, no CSP violations"
        finally:
            browser.close()
