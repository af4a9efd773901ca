"""The dashboard in headless Chromium against a real database with jobs in every state.

Serves build_dashboard_app with uvicorn on a free port, signs in through the login form,
checks the numbers on the page against the database, requeues a dead letter with a click,
and saves the screenshot that docs/operations.md shows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from e2e.dashboard_seed import counts_by_type_and_status, seed_every_state
from e2e.dashboard_server import CHROMIUM_ARGS, serving
from supajobs import AsyncJobsClient
from supajobs.transport.postgres import PostgresTransport
from supajobs_worker.dashboard import build_dashboard_app

CHROMIUM = Path("/usr/bin/chromium")
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "dashboard.png"


def screenshot_path(tmp: Path) -> Path:
    """docs/img/dashboard.png when SUPAJOBS_UPDATE_SCREENSHOT=1, so a test run leaves the
    committed picture alone otherwise."""
    return DOCS_SCREENSHOT if os.environ.get("SUPAJOBS_UPDATE_SCREENSHOT") == "1" else tmp
TOKEN = "browser-test-dashboard-token-42"
ARGS = CHROMIUM_ARGS
STATUSES = ["waiting", "queued", "running", "succeeded", "dead", "cancelled"]


@pytest.fixture
def dashboard(db_url: str) -> Iterator[str]:
    app = build_dashboard_app(
        lambda: AsyncJobsClient(PostgresTransport(db_url, role="service_role")), TOKEN,
        poll_seconds=1)
    with serving(app) as url:
        yield url


def throttle_a_key(svc: psycopg.Connection[Any]) -> None:
    """A rate-limited type whose key c-1 is paused for 10 minutes (a handler was throttled)."""
    svc.execute("""select jobs.upsert_job_type('freee_sync', rate_key => 'company',
                   rate_limits => '[{"starts": 5, "per_seconds": 1}]')""")
    svc.execute("""select jobs.enqueue('freee_sync', '{"company": "c-1"}')""")
    row = svc.execute("select id, attempts from jobs.claim('wb', array['freee_sync'])").fetchone()
    assert row is not None
    svc.execute("select jobs.postpone_jobs('wb', jsonb_build_array(jsonb_build_object("
                "'job_id', %s::bigint, 'attempt', %s::integer, 'seconds', 600,"
                " 'error', '429 Too Many Requests')))", [row[0], row[1]])


def dead_status(conn: psycopg.Connection[Any], job_id: int) -> str:
    row = conn.execute("select status::text from jobs.jobs where id = %s", [job_id]).fetchone()
    assert row is not None
    return str(row[0])


def test_unauthenticated_requests_are_refused(dashboard: str, conn: psycopg.Connection[Any],
                                              svc: psycopg.Connection[Any]) -> None:
    dead = seed_every_state(conn, svc)["dead"][0]
    with httpx.Client(base_url=dashboard, follow_redirects=False) as http:
        assert http.get("/").status_code == 303
        assert http.get("/").headers["location"] == "/login"
        assert http.get("/api/overview").status_code == 401
        assert http.post(f"/api/dead-letters/{dead}/requeue").status_code == 401
        assert http.post("/api/dead-letters/purge").status_code == 401
        assert http.post("/api/breakers/reset", json={"scope": "type:backup_create"}
                         ).status_code == 401
        wrong = {"authorization": "Bearer not-the-right-token-000"}
        assert http.post(f"/api/dead-letters/{dead}/requeue", headers=wrong).status_code == 401
    assert dead_status(conn, dead) == "dead"
    assert conn.execute("select count(*) from jobs.circuit_breakers").fetchone() == (1,)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_dashboard_in_chromium(dashboard: str, conn: psycopg.Connection[Any],
                               svc: psycopg.Connection[Any], tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    ids = seed_every_state(conn, svc)
    throttle_a_key(svc)
    truth = counts_by_type_and_status(conn)
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.set_default_timeout(10_000)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{dashboard}/")
            assert page.url.endswith("/login")
            page.fill("#token", TOKEN)
            page.click("button[type=submit]")
            try:
                page.wait_for_selector("[data-testid=total-queued]")
            except playwright_api.Error:
                raise AssertionError(f"page never filled: {errors}\n{page.content()}") from None
            expect = playwright_api.expect

            for (job_type, status), n in truth.items():
                expect(page.get_by_test_id(f"count-{job_type}-{status}")).to_have_text(str(n))
            for status in STATUSES:
                total = sum(n for (_, s), n in truth.items() if s == status)
                expect(page.get_by_test_id(f"total-{status}")).to_have_text(str(total))
            expect(page.get_by_test_id("oldest-due")).to_contain_text("email_scan, due 1")
            expect(page.get_by_test_id("breaker-type:backup_create")).to_be_visible()
            limit = page.get_by_test_id("limit-freee_sync-c-1-5/1s")
            expect(limit).to_contain_text("c-1")
            expect(limit).not_to_contain_text("\u2013")  # the pause is shown, not a dash
            expect(page.get_by_test_id("next-mail")).to_contain_text("08:00:00+09:00")
            expect(page.get_by_test_id("chart-legend")).to_contain_text("2 completed")

            victim, survivor = ids["dead"]
            expect(page.get_by_test_id(f"dead-{victim}")).to_contain_text("disk full")
            shot = screenshot_path(tmp_path / "dashboard.png")
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            page.get_by_test_id(f"requeue-{victim}").click()
            expect(page.get_by_test_id(f"dead-{victim}")).to_have_count(0)
            expect(page.get_by_test_id(f"dead-{survivor}")).to_be_visible()
            expect(page.get_by_test_id("total-dead")).to_have_text(str(len(ids["dead"]) - 1))
            assert dead_status(conn, victim) == "queued"
            assert dead_status(conn, survivor) == "dead"
            assert errors == [], "no script errors, no CSP violations"
        finally:
            browser.close()
