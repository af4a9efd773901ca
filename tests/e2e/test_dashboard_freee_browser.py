"""The receipts page's freee review list in headless Chromium against a real database: sign
in, see the receipts freee_sync could not place (hostile text shown as text), an empty deal id
refused in the status line, one candidate confirmed: an attach-only freee_sync is enqueued and
the row leaves the list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from e2e.dashboard_server import CHROMIUM_ARGS, serving
from supajobs import AsyncJobsClient
from supajobs.transport.postgres import PostgresTransport
from supajobs_worker.dashboard import build_dashboard_app
from support.receipts_sql import read, save

CHROMIUM = Path("/usr/bin/chromium")
TOKEN = "browser-test-freee-review-token-7"
HOSTILE = '技術書房 <img src=x onerror="window.hacked=1">'


@pytest.fixture
def dashboard(db_url: str) -> Iterator[str]:
    app = build_dashboard_app(
        lambda: AsyncJobsClient(PostgresTransport(db_url, role="service_role")), TOKEN)
    with serving(app) as url:
        yield url


@pytest.fixture
def listed(svc: psycopg.Connection[Any]) -> dict[str, str]:
    coffee = read(svc, save(svc, "coffee", name="coffee.pdf")["id"], date="2026-03-05",
                  total=480, vendor="カフェ・ドトール 新宿店")
    book = read(svc, save(svc, "book", name="book.pdf")["id"], date="2026-03-20",
                total=3300, vendor=HOSTILE)
    for row, status, candidates in ((coffee, "ambiguous", "{43,42}"), (book, "no_match", "{}")):
        svc.execute("select receipts.freee_record_match(1, %s, %s, 0.5, %s::bigint[])",
                    (row["id"], status, candidates))
    return {"coffee": str(coffee["id"]), "book": str(book["id"])}


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_confirm_a_candidate_enqueues_the_attach_and_the_row_leaves(
        dashboard: str, svc: psycopg.Connection[Any], listed: dict[str, str]) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    expect = playwright_api.expect
    coffee, book = listed["coffee"], listed["book"]
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                     headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.set_default_timeout(10_000)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{dashboard}/")
            page.fill("#token", TOKEN)
            page.click("button[type=submit]")
            page.get_by_test_id("nav").get_by_text("Receipts").click()
            row = page.get_by_test_id(f"freee-{coffee}")
            expect(row).to_contain_text("¥480")
            expect(row).to_contain_text("several freee deals fit equally well")
            buttons = row.get_by_role("button", name="attach to deal")
            expect(buttons).to_have_text(["attach to deal 43", "attach to deal 42"])
            expect(page.get_by_test_id(f"freee-{book}")).to_contain_text(HOSTILE)
            expect(page.get_by_test_id(f"attach-{book}-43")).to_have_count(0)

            page.get_by_test_id(f"attach-other-{book}").click()  # no deal id typed
            expect(page.get_by_test_id("freee-message")).to_have_text(
                "book.pdf (2026-03-20, ¥3,300): confirm needs deal_id: the freee deal to "
                "attach the receipt to")
            expect(page.get_by_test_id(f"freee-{book}")).to_be_visible()

            page.get_by_test_id(f"freee-note-{coffee}").fill("the second coffee")
            page.get_by_test_id(f"attach-{coffee}-42").click()
            expect(page.get_by_test_id("freee-message")).to_contain_text(
                "coffee.pdf (2026-03-05, ¥480): to be attached to deal 42 (freee_sync job ")
            expect(page.get_by_test_id("freee-message")).to_contain_text(
                "by dashboard:session-")
            expect(page.get_by_test_id(f"freee-{coffee}")).to_have_count(0)
            expect(page.get_by_test_id(f"freee-{book}")).to_be_visible()
            assert page.evaluate("window.hacked") is None
            refused = [e for e in errors if "status of 400" in e]
            assert len(refused) == 1, "the console notes the one refused decision"
            assert [e for e in errors if e not in refused] == [], "no script or CSP errors"
        finally:
            browser.close()
    assert svc.execute("select job_type, payload from jobs.jobs").fetchall() == [
        ("freee_sync", {"attach_only": True})]
    assert svc.execute("select status, deal_id, note from receipts.freee_matches"
                       " where receipt_id = %s", (coffee,)).fetchone() == (
        "confirmed", 42, "the second coffee")
