"""The receipts pages' routes against a real database, through the dashboard's HTTP surface:
search, history, the duplicates to review and their decisions, with the dashboard's guards."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from supajobs import AsyncJobsClient
from supajobs.transport.postgres import PostgresTransport
from supajobs_worker.dashboard import build_dashboard_app
from support.receipts_sql import call, history, read, save

TOKEN = "receipts-dashboard-token-0123456789"
BEARER = {"authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def http(db_url: str) -> Iterator[TestClient]:
    app = build_dashboard_app(
        lambda: AsyncJobsClient(PostgresTransport(db_url, role="service_role")), TOKEN)
    with TestClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def receipts(svc: psycopg.Connection[Any]) -> dict[str, dict[str, Any]]:
    made = {}
    for key, date, total, vendor in [("coffee", "2026-03-05", 480, "カフェ・ドトール 新宿店"),
                                     ("coffee2", "2026-03-05", 480, "ｶﾌｪ ﾄﾞﾄｰﾙ"),
                                     ("book", "2026-03-20", 3300, "株式会社技術書房"),
                                     ("train", "2026-04-02", 1980, "ＪＲ東日本")]:
        r = save(svc, key, name=f"{key}.pdf")
        made[key] = read(svc, r["id"], date=date, total=total, vendor=vendor,
                         invoice_number="T1234567890123" if key == "book" else None)
    return made


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {r["id"] for r in response.json()["receipts"]}


def test_search_with_combinations(http: TestClient, receipts: dict[str, dict[str, Any]]) -> None:
    rid = {k: str(v["id"]) for k, v in receipts.items()}
    search = lambda **q: http.get("/api/receipts/search", params=q, headers=BEARER)  # noqa: E731
    assert ids(search()) == set(rid.values())
    assert ids(search(date_from="2026-03-06")) == {rid["book"], rid["train"]}
    assert ids(search(date_from="2026-03-01", date_to="2026-03-31", amount_min="1000")) == {
        rid["book"]}
    assert ids(search(vendor="カフェ")) == {rid["coffee"], rid["coffee2"]}
    assert ids(search(vendor="jr", amount_max="2000")) == {rid["train"]}
    assert ids(search(vendor="カフェ", date_to="2026-03-04")) == set()
    [book] = search(amount_min="3300", amount_max="3300").json()["receipts"]
    assert book == {**book, "date": "2026-03-20", "amount": 3300, "vendor": "株式会社技術書房",
                    "registration_number": "T1234567890123", "status": "read",
                    "file": "book.pdf"}
    assert search(limit="2").json() == {**search(limit="2").json(), "limited": True}


def test_deleted_and_duplicates_only_on_request(http: TestClient, svc: psycopg.Connection[Any],
                                                receipts: dict[str, dict[str, Any]]) -> None:
    gone = str(receipts["train"]["id"])
    call(svc, "delete_receipt", receipt_id=gone, changed_by="t", reason="private")
    url = "/api/receipts/search"
    assert gone not in ids(http.get(url, headers=BEARER))
    assert gone in ids(http.get(url, params={"include_deleted": "true"}, headers=BEARER))


@pytest.mark.parametrize(("query", "message"), [
    ({"date_from": "2026-02-30"}, "date_from must be a date"),
    ({"amount_min": "cheap"}, "amount_min must be a whole number"),
    ({"include_deleted": "perhaps"}, "include_deleted must be true or false"),
    # checked by receipts.search_receipts (SJ105); its message is the answer
    ({"date_from": "2026-04-01", "date_to": "2026-03-01"},
     "date_from 2026-04-01 is after date_to 2026-03-01"),
    ({"amount_min": "-1"}, "amounts must not be negative"),
    ({"amount_min": "900", "amount_max": "100"}, "amount_min 900 is above amount_max 100"),
    ({"vendor": "%"}, None),  # a literal, not a wildcard: fine, and finds nothing
])
def test_bad_parameters_are_a_400_naming_them(http: TestClient, query: dict[str, str],
                                              message: str | None,
                                              receipts: dict[str, dict[str, Any]]) -> None:
    response = http.get("/api/receipts/search", params=query, headers=BEARER)
    if message is None:
        assert (response.status_code, response.json()["receipts"]) == (200, [])
        return
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_history_shows_every_version(http: TestClient, svc: psycopg.Connection[Any],
                                     receipts: dict[str, dict[str, Any]]) -> None:
    rid = str(receipts["book"]["id"])
    call(svc, "correct_receipt", receipt_id=rid, fields={"total": 3000}, changed_by="yamada",
         reason="misread 3300")
    data = http.get(f"/api/receipts/history/{rid}", headers=BEARER).json()
    assert data["receipt"]["amount"] == 3000
    assert [(v["version"], v["changed_by"], v["amount"]) for v in data["versions"]] == [
        (1, "system:mail", None), (2, "system:receipt_process", 3300), (3, "yamada", 3000)]
    assert data["versions"][2]["change_reason"] == "misread 3300"
    assert http.get("/api/receipts/history/not-an-id", headers=BEARER).status_code == 400
    missing = http.get("/api/receipts/history/00000000-0000-0000-0000-000000000000",
                       headers=BEARER)
    assert missing.status_code == 404 and "does not exist" in missing.json()["error"]


def suggest(svc: psycopg.Connection[Any], dup: dict[str, Any], kept: dict[str, Any]) -> int:
    call(svc, "suggest_duplicate", receipt_id=dup["id"], duplicate_of=kept["id"],
         reason="likely")
    return int(call(svc, "pending_duplicates")[-1]["suggestion_id"])


def login(http: TestClient) -> str:
    assert http.post("/login", data={"token": TOKEN}).status_code == 303
    match = re.search(r'data-csrf="([0-9a-f]{64})"', http.get("/receipts/").text)
    assert match
    return match.group(1)


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
