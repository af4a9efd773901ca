"""The receipts page in headless Chromium against a real database: sign in, open Receipts from
the navigation, search, read a receipt's history, see a refused range, confirm a duplicate."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from e2e.dashboard_server import CHROMIUM_ARGS, serving
from supajobs import AsyncJobsClient
from supajobs.transport.postgres import PostgresTransport
from supajobs_worker.dashboard import build_dashboard_app
from support.receipts_sql import call, history, read, save

CHROMIUM = Path("/usr/bin/chromium")
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "receipts.png"
TOKEN = "browser-test-receipts-token-42"
HOSTILE = '技術書房 <img src=x onerror="window.hacked=1">'
CAFE = "カフェ・ドトール 新宿店"


@pytest.fixture
def dashboard(db_url: str) -> Iterator[str]:
    app = build_dashboard_app(
        lambda: AsyncJobsClient(PostgresTransport(db_url, role="service_role")), TOKEN)
    with serving(app) as url:
        yield url


@pytest.fixture
def pair(svc: psycopg.Connection[Any]) -> dict[str, Any]:
    kept = read(svc, save(svc, "kept", name="kept.pdf")["id"], date="2026-03-05", total=480,
                vendor=CAFE)
    dup = read(svc, save(svc, "dup", name="dup.pdf")["id"], date="2026-03-05", total=480,
               vendor=CAFE)
    book = read(svc, save(svc, "book", name="book.pdf")["id"], date="2026-03-20", total=3300,
                vendor=HOSTILE)
    call(svc, "suggest_duplicate", receipt_id=dup["id"], duplicate_of=kept["id"],
         reason="likely")
    return {"kept": kept, "dup": dup, "book": book,
            "suggestion": call(svc, "pending_duplicates")[0]["suggestion_id"]}


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_search_then_confirm_a_duplicate(dashboard: str, svc: psycopg.Connection[Any],
                                         pair: dict[str, Any]) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    expect = playwright_api.expect
    sid, dup = pair["suggestion"], pair["dup"]
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
            expect(page.get_by_test_id("result-count")).to_have_text("3 receipt(s)")
            book = page.get_by_test_id(f"receipt-{pair['book']['id']}")
            expect(book).to_contain_text(HOSTILE)  # shown as text, never run as markup

            page.get_by_test_id("vendor").fill("カフェ")
            page.get_by_test_id("amount-min").fill("400")
            page.get_by_test_id("search").click()
            expect(page.get_by_test_id("result-count")).to_have_text("2 receipt(s)")
            row = page.get_by_test_id(f"receipt-{dup['id']}")
            expect(row).to_contain_text(CAFE)
            expect(row).to_contain_text("¥480")
            row.click()
            expect(page.get_by_test_id("history-title")).to_contain_text("dup.pdf")
            expect(page.get_by_test_id("version-2")).to_contain_text("system:receipt_process")
            if os.environ.get("SUPAJOBS_UPDATE_SCREENSHOT") == "1":
                page.screenshot(path=str(DOCS_SCREENSHOT), full_page=True)

            page.get_by_test_id("amount-max").fill("100")
            page.get_by_test_id("search").click()
            expect(page.get_by_test_id("search-message")).to_have_text(
                "amount_min 400 is above amount_max 100")
            page.get_by_test_id("amount-max").fill("")

            card = page.get_by_test_id(f"pair-{sid}")
            expect(card).to_contain_text("kept.pdf")
            expect(card).to_contain_text("dup.pdf")
            page.get_by_test_id(f"note-{sid}").fill("the same slip, mailed twice")
            page.get_by_test_id(f"confirm-{sid}").click()
            expect(page.get_by_test_id("dup-message")).to_contain_text(
                f"suggestion {sid} confirmed by dashboard:session-")
            expect(page.get_by_test_id("no-pending")).to_be_visible()
            assert page.evaluate("window.hacked") is None
            refused = [e for e in errors if "status of 400" in e]
            assert len(refused) == 1, "the console notes the one refused search"
            assert [e for e in errors if e not in refused] == [], "no script or CSP errors"
        finally:
            browser.close()
    last = history(svc, dup["id"])[-1]
    assert (last.status, last.duplicate_of) == ("duplicate", pair["kept"]["id"])
    assert last.changed_by.startswith("dashboard:session-")
    assert "the same slip, mailed twice" in last.change_reason
