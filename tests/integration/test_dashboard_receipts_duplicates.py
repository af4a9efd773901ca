"""The receipts page's duplicates to review against a real database, through the dashboard's
HTTP surface: both receipts shown, decisions recorded with who decided, the guards held."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from support.dashboard_receipts import (
    BEARER,
    dashboard_client,
    ids,
    login,
    seed_receipts,
    suggest,
)
from support.receipts_sql import history


@pytest.fixture
def http(db_url: str) -> Iterator[TestClient]:
    with dashboard_client(db_url) as client:
        yield client


@pytest.fixture
def receipts(svc: psycopg.Connection[Any]) -> dict[str, dict[str, Any]]:
    return seed_receipts(svc)


def test_pending_shows_both_receipts(http: TestClient, svc: psycopg.Connection[Any],
                                     receipts: dict[str, dict[str, Any]]) -> None:
    sid = suggest(svc, receipts["coffee2"], receipts["coffee"])
    [pair] = http.get("/api/receipts/duplicates", headers=BEARER).json()["pending"]
    assert pair["suggestion_id"] == sid and pair["reason"] == "likely"
    assert pair["receipt"] == {**pair["receipt"], "id": str(receipts["coffee2"]["id"]),
                               "date": "2026-03-05", "amount": 480, "vendor": "ｶﾌｪ ﾄﾞﾄｰﾙ",
                               "file": "coffee2.pdf"}
    assert pair["kept"] == {**pair["kept"], "id": str(receipts["coffee"]["id"]),
                            "date": "2026-03-05", "amount": 480,
                            "vendor": "カフェ・ドトール 新宿店", "file": "coffee.pdf"}
    assert pair["receipt"]["received_at"] and pair["kept"]["received_at"]


def test_confirm_writes_a_duplicate_version_by_the_session(
        http: TestClient, svc: psycopg.Connection[Any],
        receipts: dict[str, dict[str, Any]]) -> None:
    dup, kept = receipts["coffee2"], receipts["coffee"]
    sid = suggest(svc, dup, kept)
    csrf = login(http)
    url = f"/api/receipts/duplicates/{sid}/decide"
    response = http.post(url, json={"decision": "confirmed", "note": "same slip twice"},
                         headers={"x-csrf-token": csrf})
    assert response.status_code == 200, response.text
    made = response.json()
    assert made["decision"] == "confirmed" and made["note"] == "same slip twice"
    assert re.fullmatch(r"dashboard:session-[0-9a-f]{12}", made["decided_by"])
    last = history(svc, dup["id"])[-1]
    assert (last.status, last.duplicate_of, last.changed_by) == (
        "duplicate", kept["id"], made["decided_by"])
    assert "same slip twice" in last.change_reason
    assert http.get("/api/receipts/duplicates").json()["pending"] == []
    again = http.post(url, json={"decision": "rejected"}, headers={"x-csrf-token": csrf})
    assert again.status_code == 409
    assert again.json()["error"] == f"duplicate suggestion {sid} is already decided"
    assert str(dup["id"]) not in ids(http.get("/api/receipts/search"))
    assert str(dup["id"]) in ids(http.get("/api/receipts/search",
                                          params={"include_duplicates": "1"}))


def test_reject_removes_it_from_pending_and_keeps_the_receipt(
        http: TestClient, svc: psycopg.Connection[Any],
        receipts: dict[str, dict[str, Any]]) -> None:
    dup = receipts["coffee2"]
    sid = suggest(svc, dup, receipts["coffee"])
    response = http.post(f"/api/receipts/duplicates/{sid}/decide", headers=BEARER,
                         json={"decision": "rejected", "note": "two coffees"})
    assert response.json()["decided_by"] == "dashboard:bearer"
    assert http.get("/api/receipts/duplicates", headers=BEARER).json()["pending"] == []
    assert history(svc, dup["id"])[-1].status == "read"
    rows = svc.execute("select decision, decided_by, note from receipts.duplicate_decisions"
                       ).fetchall()
    assert rows == [("rejected", "dashboard:bearer", "two coffees")]
    assert http.post("/api/receipts/duplicates/999999/decide", headers=BEARER,
                     json={"decision": "rejected"}).status_code == 404


def test_guards_hold_for_the_receipts_pages(http: TestClient, svc: psycopg.Connection[Any],
                                            receipts: dict[str, dict[str, Any]]) -> None:
    sid = suggest(svc, receipts["coffee2"], receipts["coffee"])
    url = f"/api/receipts/duplicates/{sid}/decide"
    assert http.get("/receipts/").headers["location"] == "/login"
    assert http.get("/receipts/static/receipts.js").status_code == 303
    assert http.get("/api/receipts/search").status_code == 401
    assert http.get("/api/receipts/duplicates").status_code == 401
    assert http.post(url, json={"decision": "confirmed"}).status_code == 401
    login(http)
    refused = http.post(url, json={"decision": "confirmed"})  # the cookie, no CSRF token
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]
    assert http.post(url, json={"decision": "confirmed"},
                     headers={"x-csrf-token": "0" * 64}).status_code == 403
    assert svc.execute("select count(*) from receipts.duplicate_decisions").fetchone() == (0,)
    assert len(http.get("/api/receipts/duplicates").json()["pending"]) == 1
