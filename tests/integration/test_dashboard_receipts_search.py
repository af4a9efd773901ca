"""The receipts page's search and history routes against a real database, through the
dashboard's HTTP surface; bad parameters and ranges the database refuses are 400s."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from support.dashboard_receipts import (
    BEARER,
    dashboard_client,
    ids,
    seed_receipts,
)
from support.receipts_sql import call


@pytest.fixture
def http(db_url: str) -> Iterator[TestClient]:
    with dashboard_client(db_url) as client:
        yield client


@pytest.fixture
def receipts(svc: psycopg.Connection[Any]) -> dict[str, dict[str, Any]]:
    return seed_receipts(svc)


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
