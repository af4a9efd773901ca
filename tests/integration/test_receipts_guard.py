"""The evidence tables refuse UPDATE, DELETE and TRUNCATE to service_role and to their
owner alike; service_role cannot insert history rows directly either."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from support.receipts_sql import call, save

EVIDENCE = ("receipts", "receipt_versions", "receipt_copies", "duplicate_suggestions",
            "duplicate_decisions")


@pytest.mark.parametrize("table", EVIDENCE)
def test_service_role_cannot_change_evidence(svc: psycopg.Connection[Any], table: str) -> None:
    kept, other = save(svc, "k"), save(svc, "o")
    call(svc, "suggest_duplicate", receipt_id=other["id"], duplicate_of=kept["id"], reason="likely")
    for statement in (f"update receipts.{table} set {column(table)} = {column(table)}",
                      f"delete from receipts.{table}", f"truncate receipts.{table} cascade"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            svc.execute(statement)


def column(table: str) -> str:
    return {"receipts": "vendor", "receipt_versions": "vendor", "receipt_copies": "source",
            "duplicate_suggestions": "reason", "duplicate_decisions": "note"}[table]


@pytest.mark.parametrize("table", EVIDENCE)
def test_not_even_the_owner_changes_evidence(conn: psycopg.Connection[Any], svc: psycopg.Connection[Any],
                                             table: str) -> None:
    kept, other = save(svc, "k"), save(svc, "o")
    call(svc, "suggest_duplicate", receipt_id=other["id"], duplicate_of=kept["id"],
         reason="likely")
    pending = call(svc, "pending_duplicates")[0]
    call(svc, "decide_duplicate", suggestion_id=pending["suggestion_id"], decision="rejected",
         decided_by="me")
    save(svc, "k", message_id="<again@x>")  # a copy row
    for statement in (f"update receipts.{table} set {column(table)} = {column(table)}",
                      f"delete from receipts.{table}", f"truncate receipts.{table} cascade"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
            conn.execute(statement)
        assert "receipts are evidence" in str(refused.value)


def test_service_role_cannot_insert_versions_directly(svc: psycopg.Connection[Any]) -> None:
    r = save(svc, "v")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        svc.execute("insert into receipts.receipt_versions (receipt_id, status, stored_path, "
                    "changed_by, change_reason, prev_hash, hash, seq, version, changed_at) "
                    "values (%s, 'read', 'x', 'me', 'why', repeat('0', 64), repeat('1', 64), 99, 9, now())",
                    [r["id"]])
