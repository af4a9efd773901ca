"""The dashboard with its receipts pages over a real database, for the integration tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from starlette.testclient import TestClient

from supajobs import AsyncJobsClient
from supajobs.transport.postgres import PostgresTransport
from supajobs_worker.dashboard import build_dashboard_app
from support.receipts_sql import call, read, save

TOKEN = "receipts-dashboard-token-0123456789"
BEARER = {"authorization": f"Bearer {TOKEN}"}
SEED = [("coffee", "2026-03-05", 480, "カフェ・ドトール 新宿店"),
        ("coffee2", "2026-03-05", 480, "ｶﾌｪ ﾄﾞﾄｰﾙ"),
        ("book", "2026-03-20", 3300, "株式会社技術書房"),
        ("train", "2026-04-02", 1980, "ＪＲ東日本")]


@contextmanager
def dashboard_client(db_url: str) -> Iterator[TestClient]:
    app = build_dashboard_app(
        lambda: AsyncJobsClient(PostgresTransport(db_url, role="service_role")), TOKEN)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def seed_receipts(svc: psycopg.Connection[Any]) -> dict[str, dict[str, Any]]:
    made = {}
    for key, date, total, vendor in SEED:
        r = save(svc, key, name=f"{key}.pdf")
        made[key] = read(svc, r["id"], date=date, total=total, vendor=vendor,
                         invoice_number="T1234567890123" if key == "book" else None)
    return made


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {r["id"] for r in response.json()["receipts"]}


def suggest(svc: psycopg.Connection[Any], dup: dict[str, Any], kept: dict[str, Any]) -> int:
    call(svc, "suggest_duplicate", receipt_id=dup["id"], duplicate_of=kept["id"],
         reason="likely")
    return int(call(svc, "pending_duplicates")[-1]["suggestion_id"])


def login(http: TestClient) -> str:
    """Sign in with the form; the CSRF token the receipts page carries."""
    assert http.post("/login", data={"token": TOKEN}).status_code == 303
    match = re.search(r'data-csrf="([0-9a-f]{64})"', http.get("/receipts/").text)
    assert match
    return match.group(1)
