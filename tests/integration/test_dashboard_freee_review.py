"""The receipts page's freee review list against a real database, through the dashboard's
HTTP surface: the list with its candidates, a decision recorded with who decided and (when
confirmed) an attach-only freee_sync enqueued by the CLI's own code, bad input refused with
nothing changed, the guards held."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from support.dashboard_receipts import BEARER, dashboard_client, login, seed_receipts

WAITING = "no deal yet, but a credit_card line of 3300 yen on 2026-03-21 waits in 自動で経理"


@pytest.fixture
def http(db_url: str) -> Iterator[TestClient]:
    with dashboard_client(db_url) as client:
        yield client


@pytest.fixture
def listed(svc: psycopg.Connection[Any]) -> dict[str, str]:
    """coffee: ambiguous between deals 43 (best) and 42; book: no match, a card line waiting."""
    made = seed_receipts(svc)
    for key, status, candidates, note in (("coffee", "ambiguous", "{43,42}", None),
                                          ("book", "no_match", "{}", WAITING)):
        svc.execute("select receipts.freee_record_match(7, %s, %s, 0.61, %s::bigint[], %s)",
                    (made[key]["id"], status, candidates, note))
    return {key: str(made[key]["id"]) for key in ("coffee", "book", "train")}


def state(svc: psycopg.Connection[Any]) -> tuple[list[tuple[Any, ...]], int]:
    """Every match row and the number of jobs: what a refused request must leave alone."""
    rows = svc.execute("select receipt_id, status, deal_id, decided_by, note"
                       " from receipts.freee_matches order by receipt_id").fetchall()
    jobs = svc.execute("select count(*) from jobs.jobs").fetchone()
    return rows, int(jobs[0]) if jobs else -1


def decide(http: TestClient, receipt: str, headers: dict[str, str], **body: Any) -> Any:
    return http.post(f"/api/receipts/freee/{receipt}/decide", json=body, headers=headers)


def test_pending_lists_each_receipt_with_its_candidates_best_first(
        http: TestClient, listed: dict[str, str]) -> None:
    pending = http.get("/api/receipts/freee/pending", headers=BEARER).json()["pending"]
    by_id = {p["receipt_id"]: p for p in pending}
    assert set(by_id) == {listed["coffee"], listed["book"]}
    coffee, book = by_id[listed["coffee"]], by_id[listed["book"]]
    assert {k: coffee[k] for k in ("company_id", "status", "date", "amount", "vendor", "file",
                                   "candidates", "reason")} == {
        "company_id": 7, "status": "ambiguous", "date": "2026-03-05", "amount": 480,
        "vendor": "カフェ・ドトール 新宿店", "file": "coffee.pdf", "candidates": [43, 42],
        "reason": "several freee deals fit equally well"}
    assert coffee["score"] == pytest.approx(0.61) and coffee["matched_at"]
    assert (book["status"], book["candidates"], book["reason"]) == ("no_match", [], WAITING)
    assert book["registration_number"] == "T1234567890123"


def test_confirm_records_the_session_and_enqueues_one_attach_only_sync(
        http: TestClient, svc: psycopg.Connection[Any], listed: dict[str, str]) -> None:
    csrf = {"x-csrf-token": login(http)}
    response = decide(http, listed["coffee"], csrf, decision="confirm", deal_id=42,
                      note="the 2nd coffee, asked Aiko")
    assert response.status_code == 200, response.text
    made = response.json()
    assert (made["status"], made["deal_id"]) == ("confirmed", 42)
    assert re.fullmatch(r"dashboard:session-[0-9a-f]{12}", made["decided_by"])
    assert svc.execute("select job_type, payload, idempotency_key from jobs.jobs where id = %s",
                       (made["attach_job"],)).fetchall() == [
        ("freee_sync", {"attach_only": True}, f"freee_sync:confirm:{listed['coffee']}")]
    assert svc.execute("select status, deal_id, decided_by, note from receipts.freee_matches"
                       " where receipt_id = %s", (listed["coffee"],)).fetchone() == (
        "confirmed", 42, made["decided_by"], "the 2nd coffee, asked Aiko")
    pending = http.get("/api/receipts/freee/pending").json()["pending"]
    assert [p["receipt_id"] for p in pending] == [listed["book"]]
    before = state(svc)
    again = decide(http, listed["coffee"], csrf, decision="confirm", deal_id=43)
    assert again.status_code == 409
    assert "already settled" in again.json()["error"]
    assert state(svc) == before


@pytest.mark.parametrize("word", ["not_in_freee", "reject"])
def test_not_in_freee_is_a_rejection_and_enqueues_nothing(
        http: TestClient, svc: psycopg.Connection[Any], listed: dict[str, str],
        word: str) -> None:
    response = decide(http, listed["book"], BEARER, decision=word, note="  paid in cash  ")
    assert response.status_code == 200, response.text
    made = response.json()
    assert (made["status"], made["decided_by"], made["deal_id"]) == (
        "rejected", "dashboard:bearer", None)
    assert "attach_job" not in made
    assert state(svc)[1] == 0
    assert svc.execute("select note from receipts.freee_matches where receipt_id = %s",
                       (listed["book"],)).fetchone() == ("paid in cash",)
    pending = http.get("/api/receipts/freee/pending", headers=BEARER).json()["pending"]
    assert [p["receipt_id"] for p in pending] == [listed["coffee"]]


def test_a_deal_the_matcher_did_not_offer_is_accepted_as_by_the_cli(
        http: TestClient, svc: psycopg.Connection[Any], listed: dict[str, str]) -> None:
    made = decide(http, listed["book"], BEARER, decision="confirm", deal_id=9001).json()
    assert (made["status"], made["deal_id"]) == ("confirmed", 9001)
    assert svc.execute("select job_type from jobs.jobs").fetchall() == [("freee_sync",)]


UUID_NONE = "00000000-0000-4000-8000-000000000000"
BAD_BODIES: list[tuple[dict[str, Any], str]] = [
    ({}, "decision must be 'confirm', 'reject' or 'not_in_freee', got None"),
    ({"decision": "maybe"}, "decision must be 'confirm', 'reject' or 'not_in_freee', "
                            "got 'maybe'"),
    ({"decision": ["confirm"]}, "decision must be"),
    ({"decision": "confirm"}, "confirm needs deal_id"),
    ({"decision": "confirm", "deal_id": "43"}, "deal_id must be a freee deal id"),
    ({"decision": "confirm", "deal_id": True}, "deal_id must be a freee deal id"),
    ({"decision": "confirm", "deal_id": 0}, "deal_id must be a freee deal id"),
    ({"decision": "confirm", "deal_id": -4}, "deal_id must be a freee deal id"),
    ({"decision": "confirm", "deal_id": 4.5}, "deal_id must be a freee deal id"),
    ({"decision": "confirm", "deal_id": 2**63}, "deal_id must be a freee deal id"),
    ({"decision": "not_in_freee", "deal_id": 43}, "not_in_freee takes no deal_id"),
    ({"decision": "reject", "note": 5}, "note must be a string"),
    ({"decision": "reject", "note": "x" * 1001}, "note must be at most 1000 characters"),
    ({"decision": "reject", "by": "me"}, "unknown field 'by'"),
]


@pytest.mark.parametrize(("body", "error"), BAD_BODIES)
def test_a_bad_body_is_a_400_naming_it_and_changes_nothing(
        http: TestClient, svc: psycopg.Connection[Any], listed: dict[str, str],
        body: dict[str, Any], error: str) -> None:
    before = state(svc)
    response = http.post(f"/api/receipts/freee/{listed['coffee']}/decide", json=body,
                         headers=BEARER)
    assert response.status_code == 400, response.text
    assert response.json()["error"].startswith(error)
    assert state(svc) == before


@pytest.mark.parametrize(("raw", "error"), [(b"{not json", "request body must be JSON"),
                                            (b"[1, 2]", "request body must be a JSON object")])
def test_a_malformed_body_is_a_400(http: TestClient, svc: psycopg.Connection[Any],
                                   listed: dict[str, str], raw: bytes, error: str) -> None:
    before = state(svc)
    response = http.post(f"/api/receipts/freee/{listed['coffee']}/decide", content=raw,
                         headers={**BEARER, "content-type": "application/json"})
    assert (response.status_code, response.json()) == (400, {"error": error})
    assert state(svc) == before


@pytest.mark.parametrize(("receipt", "status", "error"), [
    ("not-a-uuid", 400, "receipt_id must be a receipt's id (a UUID), got 'not-a-uuid'"),
    (UUID_NONE, 404, f"receipt {UUID_NONE} is not on the freee review list"),
    ("train", 404, "is not on the freee review list"),  # a receipt, never listed
])
def test_an_unknown_receipt_is_refused(http: TestClient, svc: psycopg.Connection[Any],
                                       listed: dict[str, str], receipt: str, status: int,
                                       error: str) -> None:
    before = state(svc)
    response = decide(http, listed.get(receipt, receipt), BEARER, decision="reject")
    assert response.status_code == status, response.text
    assert error in response.json()["error"]
    assert state(svc) == before


def test_guards_hold_for_the_freee_routes(http: TestClient, svc: psycopg.Connection[Any],
                                          listed: dict[str, str]) -> None:
    before = state(svc)
    body = {"decision": "confirm", "deal_id": 43}
    assert http.get("/api/receipts/freee/pending").status_code == 401
    assert decide(http, listed["coffee"], {}, **body).status_code == 401
    login(http)
    refused = decide(http, listed["coffee"], {}, **body)  # the cookie, no CSRF token
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]
    assert decide(http, listed["coffee"], {"x-csrf-token": "0" * 64}, **body).status_code == 403
    assert state(svc) == before
    assert len(http.get("/api/receipts/freee/pending").json()["pending"]) == 2
