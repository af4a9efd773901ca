"""Receipts as evidence: every change a version in one hash chain, nothing changed or
deleted in place (not even by the table owner), corrections and deletions recorded."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest

from supajobs_receipts.evidence import check_chain
from support.receipts_sql import call, history, read, save
from support.rpc import service_connection

TRICKY = 'カフェ "駅前" 店\\本店\n\tタブ'


def test_each_step_is_a_version_in_a_chain_python_can_check(svc: psycopg.Connection[Any]) -> None:
    r = save(svc, "a")
    read(svc, r["id"], date="2026-11-03", total=1320, tax=120, tax_rate=10, vendor=TRICKY,
         invoice_number="T1234567890123", reasons=["x"])
    read(svc, r["id"], date="2026-11-03", total=1320, tax=120, tax_rate=10, vendor=TRICKY,
         invoice_number="T1234567890123", reasons=["x"])  # the same reading: no new version
    filed = call(svc, "record_filing", receipt_id=r["id"], stored_path="2026/11/x.pdf")[0]
    assert (filed["version"], filed["status"]) == (3, "filed")
    rows = history(svc, r["id"])
    assert [(v.version, v.status, v.changed_by) for v in rows] == [
        (1, "stored", "system:mail"), (2, "read", "system:receipt_process"),
        (3, "filed", "system:file_organize")]
    assert rows[1].vendor == TRICKY and rows[2].stored_path == "2026/11/x.pdf"
    assert check_chain(history(svc)) == []  # the SQL hashes, recomputed independently


def test_correction_keeps_both_versions(svc: psycopg.Connection[Any]) -> None:
    r = save(svc, "c")
    read(svc, r["id"], date="2026-11-03", total=1320, vendor="喫茶店", needs_review=True)
    fixed = call(svc, "correct_receipt", receipt_id=r["id"], fields={"total": 1230, "date": None},
                 changed_by="yamada", reason="OCR read 1320; the slip says 1230")[0]
    assert (fixed["total"], fixed["receipt_date"], fixed["status"], fixed["needs_review"]) == (
        1230, None, "read", False)
    old, new = history(svc, r["id"])[-2:]
    assert (old.total, new.total, new.changed_by) == (1320, 1230, "yamada")
    assert new.change_reason == "OCR read 1320; the slip says 1230"


@pytest.mark.parametrize(("fields", "by", "reason", "message"), [
    ({"sha256": "x"}, "me", "why", "sha256 cannot be corrected"),
    ({}, "me", "why", "at least one of"),
    ({"total": 5}, " ", "why", "changed_by (who)"),
    ({"total": 5}, "me", "", "change_reason (why)"),
    ({"total": 100}, "me", "why", "changes nothing"),
    ({"total": -1}, "me", "why", "check constraint"),
    ({"total": "lots"}, "me", "why", "invalid input syntax"),
])
def test_bad_corrections_are_refused_and_change_nothing(
        svc: psycopg.Connection[Any], fields: dict[str, Any], by: str, reason: str,
        message: str) -> None:
    r = save(svc, "bad")
    read(svc, r["id"], total=100)
    with pytest.raises(psycopg.Error) as err:
        call(svc, "correct_receipt", receipt_id=r["id"], fields=fields, changed_by=by, reason=reason)
    assert message in str(err.value)
    assert [v.version for v in history(svc, r["id"])] == [1, 2]


def test_deletion_is_a_recorded_state(svc: psycopg.Connection[Any]) -> None:
    r = save(svc, "d")
    gone = call(svc, "delete_receipt", receipt_id=r["id"], changed_by="yamada",
                reason="private purchase, not a business expense")[0]
    assert gone["status"] == "deleted"
    assert call(svc, "list_receipts") == []
    assert [x["id"] for x in call(svc, "list_receipts", include_deleted=True)] == [r["id"]]
    with pytest.raises(psycopg.Error) as again:
        call(svc, "delete_receipt", receipt_id=r["id"], changed_by="yamada", reason="again")
    assert again.value.sqlstate == "SJ409"
    with pytest.raises(psycopg.Error) as corrected:
        call(svc, "correct_receipt", receipt_id=r["id"], fields={"total": 1}, changed_by="y",
             reason="r")
    assert corrected.value.sqlstate == "SJ409"
    assert [v.status for v in history(svc, r["id"])] == ["stored", "deleted"]


def test_copies_are_recorded_once_against_the_original(svc: psycopg.Connection[Any]) -> None:
    first = save(svc, "same", message_id="<1@x>")
    copy = save(svc, "same", message_id="<2@x>", name="再送.pdf")
    save(svc, "same", message_id="<2@x>", name="再送.pdf")  # the same mail scanned again
    save(svc, "same", message_id="<1@x>")  # the original's own arrival again
    assert copy["id"] == first["id"]
    (recorded,) = call(svc, "list_copies", receipt_id=first["id"])
    assert (recorded["message_id"], recorded["original_name"]) == ("<2@x>", "再送.pdf")
    assert "byte-identical" in recorded["reason"]


def test_duplicate_suggestions_wait_for_a_person(svc: psycopg.Connection[Any]) -> None:
    a, b = save(svc, "coffee 1"), save(svc, "coffee 2")
    args = {"receipt_id": b["id"], "duplicate_of": a["id"], "reason": "likely"}
    assert call(svc, "suggest_duplicate", **args)[0]["suggest_duplicate"] is True
    reverse = {**args, "receipt_id": a["id"], "duplicate_of": b["id"]}
    assert call(svc, "suggest_duplicate", **reverse)[0]["suggest_duplicate"] is False
    (pending,) = call(svc, "pending_duplicates")
    assert call(svc, "get_receipt", receipt_id=b["id"])[0]["status"] == "stored"  # untouched
    with pytest.raises(psycopg.Error) as bad:
        call(svc, "decide_duplicate", suggestion_id=pending["suggestion_id"], decision="maybe",
             decided_by="me")
    assert bad.value.sqlstate == "SJ105"
    call(svc, "decide_duplicate", suggestion_id=pending["suggestion_id"], decision="rejected",
         decided_by="me", note="two coffees")
    assert call(svc, "pending_duplicates") == []
    assert call(svc, "suggest_duplicate", **args)[0]["suggest_duplicate"] is False  # not again
    with pytest.raises(psycopg.Error) as twice:
        call(svc, "decide_duplicate", suggestion_id=pending["suggestion_id"],
             decision="confirmed", decided_by="me")
    assert twice.value.sqlstate == "SJ409"
    assert {r["status"] for r in call(svc, "list_receipts")} == {"stored"}


def test_tampering_is_found_by_the_chain_check(conn: psycopg.Connection[Any],
                                               svc: psycopg.Connection[Any]) -> None:
    for n in range(3):
        read(svc, save(svc, f"t{n}")["id"], total=100 + n)
    assert check_chain(history(svc)) == []
    conn.execute("set session_replication_role = replica")  # what a superuser could do
    conn.execute("update receipts.receipt_versions set total = 999 where seq = 2")
    conn.execute("delete from receipts.receipt_versions where seq = 5")
    problems = [(p.seq, p.problem) for p in check_chain(history(svc))]
    assert (2, "its content does not match its hash (the row was changed after it was "
               "written)") in problems
    assert any(seq == 6 and "missing" in what for seq, what in problems)
    assert any(seq == 6 and "does not link" in what for seq, what in problems)


def test_concurrent_writers_keep_one_unbroken_chain(db_url: str,
                                                    svc: psycopg.Connection[Any]) -> None:
    ids = [save(svc, f"w{n}")["id"] for n in range(8)]

    def write(receipt_id: Any) -> None:
        with service_connection(db_url) as mine:
            for total in range(1, 16):
                read(mine, receipt_id, total=total)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, ids))
    rows = history(svc)
    assert [r.seq for r in rows] == list(range(1, 8 + 8 * 15 + 1))
    assert check_chain(rows) == []
