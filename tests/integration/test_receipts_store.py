"""The receipts schema's RPCs: one row per file content, each pipeline step recorded."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from support.receipts_sql import call, sha


def save(svc: psycopg.Connection[Any], content: str) -> dict[str, Any]:
    return call(svc, "save_document", sha256=sha(content), stored_path=f"inbox/{sha(content)}.pdf",
                original_name="領収書.pdf", content_type="application/pdf", message_id="<m@x>")[0]


def test_same_content_is_one_receipt(svc: psycopg.Connection[Any]) -> None:
    first = save(svc, "a")
    again = save(svc, "a")
    assert again["id"] == first["id"] and first["status"] == "stored"
    with pytest.raises(psycopg.Error) as err:
        call(svc, "save_document", sha256="nothex", stored_path="x", original_name="x",
             content_type="application/pdf")
    assert err.value.sqlstate == "SJ105"


def test_reading_filing_and_listing(svc: psycopg.Connection[Any]) -> None:
    r = save(svc, "b")
    read = call(svc, "record_reading", receipt_id=r["id"], fields={
        "date": "2026-11-03", "total": 1320, "tax": 120, "tax_rate": 10, "vendor": "株式会社テスト",
        "invoice_number": "T1234567890123", "confidence": {"total": 0.95}, "needs_review": False,
        "source": "pdf_text"})[0]
    assert (read["status"], read["total"], read["vendor"]) == ("read", 1320, "株式会社テスト")
    filed = call(svc, "record_filing", receipt_id=r["id"], stored_path="2026/11/x.pdf")[0]
    assert (filed["status"], filed["stored_path"]) == ("filed", "2026/11/x.pdf")
    november = call(svc, "list_receipts", from_date="2026-11-01", to_date="2026-12-01")
    assert [x["id"] for x in november] == [r["id"]]


def test_unreadable_and_review(svc: psycopg.Connection[Any]) -> None:
    r = save(svc, "c")
    bad = call(svc, "record_reading", receipt_id=r["id"], fields={"unreadable": "encrypted PDF"})[0]
    assert bad["status"] == "unreadable" and bad["review_reasons"] == ["encrypted PDF"]
    unsure = save(svc, "d")
    flagged = call(svc, "record_reading", receipt_id=unsure["id"], fields={
        "total": 500, "needs_review": True, "reasons": ["vendor unclear"]})[0]
    assert flagged["status"] == "needs_review" and flagged["review_reasons"] == ["vendor unclear"]
    assert call(svc, "record_filing", receipt_id=unsure["id"], stored_path="p")[0]["status"] == "needs_review"


def test_duplicates_checkpoints_and_backups(svc: psycopg.Connection[Any]) -> None:
    kept, dup = save(svc, "e"), save(svc, "f")
    assert call(svc, "suggest_duplicate", receipt_id=dup["id"], duplicate_of=kept["id"],
                reason="likely")[0]["suggest_duplicate"] is True
    (pending,) = call(svc, "pending_duplicates")
    call(svc, "decide_duplicate", suggestion_id=pending["suggestion_id"], decision="confirmed",
         decided_by="tester")
    marked = call(svc, "get_receipt", receipt_id=dup["id"])[0]
    assert marked["status"] == "duplicate" and marked["duplicate_of"] == kept["id"]
    assert [x["id"] for x in call(svc, "list_receipts")] == [kept["id"]]
    with pytest.raises(psycopg.Error):
        call(svc, "suggest_duplicate", receipt_id=kept["id"], duplicate_of=kept["id"], reason="likely")
    assert call(svc, "get_checkpoint", mailbox="inbox")[0]["get_checkpoint"] is None
    call(svc, "save_checkpoint", mailbox="inbox", checkpoint={"uidvalidity": 7, "last_uid": 42})
    assert call(svc, "get_checkpoint", mailbox="inbox")[0]["get_checkpoint"]["last_uid"] == 42
    (backup,) = call(svc, "record_backup", path="/b/1.tar.gz", sha256=sha("t"), members=3,
                     bytes=100, file_hashes=[kept["sha256"]])
    assert backup["file_hashes"] == [kept["sha256"]] and backup["members"] == 3
    with pytest.raises(psycopg.Error) as missing:
        call(svc, "get_receipt", receipt_id="00000000-0000-0000-0000-000000000000")
    assert missing.value.sqlstate == "SJ404"
