"""The freee review list: its RPCs (service_role only; a sync never overwrites a person's
decision) and `supajobs receipts freee review|confirm|reject|status`."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest

from supajobs.cli.main import main
from support.receipts_sql import call, read, save


@pytest.fixture(autouse=True)
def as_service_role(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPAJOBS_DB_ROLE", "service_role")
    monkeypatch.setenv("SUPAJOBS_ACTOR", "tester")


def listed(svc: psycopg.Connection[Any], text: str, status: str = "ambiguous") -> str:
    receipt = save(svc, text)["id"]
    read(svc, receipt, total=1980, vendor="技術書房", date="2026-11-20")
    assert propose(svc, str(receipt), status, "{42,43}")
    return str(receipt)


def propose(svc: psycopg.Connection[Any], receipt: str, status: str,
            candidates: str = "{}") -> bool:
    row = svc.execute("select receipts.freee_record_match(1, %s, %s, 0.6, %s::bigint[])",
                      (receipt, status, candidates)).fetchone()
    return bool(row and row[0])


def run(capsys: pytest.CaptureFixture[str], db_url: str, *argv: str) -> tuple[int, Any]:
    code = main(["--json", "--db-url", db_url, "receipts", "freee", *argv])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def sqlstate(svc: psycopg.Connection[Any], fn: str, **kwargs: Any) -> str | None:
    with pytest.raises(psycopg.Error) as caught:
        call(svc, fn, **kwargs)
    return caught.value.sqlstate


def test_a_decision_is_checked_and_final(svc: psycopg.Connection[Any]) -> None:
    receipt = listed(svc, "a")
    assert sqlstate(svc, "freee_decide_match", receipt_id=receipt, decision="confirm",
                    decided_by="me") == "SJ105"  # no deal id
    assert sqlstate(svc, "freee_decide_match", receipt_id=receipt, decision="maybe",
                    decided_by="me", deal_id=42) == "SJ105"
    assert sqlstate(svc, "freee_decide_match", receipt_id=receipt, decision="reject",
                    decided_by=" ") == "SJ105"
    other = save(svc, "unlisted")["id"]
    assert sqlstate(svc, "freee_decide_match", receipt_id=other, decision="reject",
                    decided_by="me") == "SJ404"
    (made,) = call(svc, "freee_decide_match", receipt_id=receipt, decision="reject",
                   decided_by="me", note="paid privately")
    assert (made["status"], made["decided_by"], made["deal_id"]) == ("rejected", "me", None)
    assert sqlstate(svc, "freee_decide_match", receipt_id=receipt, decision="confirm",
                    decided_by="me", deal_id=42) == "SJ409"
    # A later sync proposes again: the person's answer stands.
    assert propose(svc, receipt, "no_match") is False
    assert call(svc, "freee_pending_matches") == []


def test_a_sync_records_only_proposals(svc: psycopg.Connection[Any]) -> None:
    receipt = listed(svc, "b")
    for query, args in (("select receipts.freee_record_match(1, %s, 'attached')", (receipt,)),
                        ("select receipts.freee_begin_upload(0, %s)", (receipt,))):
        with pytest.raises(psycopg.Error) as caught:
            svc.execute(query, args)
        assert caught.value.sqlstate == "SJ105"


@pytest.mark.parametrize("role", ["anon", "authenticated"])
def test_only_service_role_may_call_them(conn: psycopg.Connection[Any], role: str) -> None:
    conn.execute(f"set role {role}")
    for query in ("select receipts.freee_pending_matches()", "select receipts.freee_status()",
                  "select * from receipts.freee_matches", "select * from receipts.freee_uploads"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(query)
        conn.rollback() if not conn.autocommit else None


def test_the_cli_lists_confirms_and_rejects(capsys: pytest.CaptureFixture[str], db_url: str,
                                            svc: psycopg.Connection[Any]) -> None:
    first, second = listed(svc, "c"), listed(svc, "d", "no_match")
    code, pending = run(capsys, db_url, "review")
    assert code == 0 and sorted(p["receipt_id"] for p in pending) == sorted([first, second])
    shown = next(p for p in pending if p["receipt_id"] == first)
    assert (shown["status"], shown["candidates"], shown["total"]) == ("ambiguous", [42, 43], 1980)
    code, made = run(capsys, db_url, "confirm", first, "43", "--note", "the book")
    assert (code, made["status"], made["deal_id"], made["decided_by"]) == (
        0, "confirmed", 43, "tester")
    (job,) = svc.execute("select job_type, payload from jobs.jobs where id = %s",
                         (made["attach_job"],)).fetchall()
    assert job == ("freee_sync", {"attach_only": True})
    code, made = run(capsys, db_url, "reject", second)
    assert (code, made["status"]) == (0, "rejected")
    assert run(capsys, db_url, "review") == (0, [])
    code, counts = run(capsys, db_url, "status")
    assert code == 0 and {(c["kind"], c["state"], c["receipts"]) for c in counts} == {
        ("match", "confirmed", 1), ("match", "rejected", 1)}
    assert main(["--db-url", db_url, "receipts", "freee", "reject", second]) != 0
    assert "already settled" in capsys.readouterr().err
