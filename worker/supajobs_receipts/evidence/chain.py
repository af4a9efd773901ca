"""Checking the hash chain of receipts.receipt_versions without trusting the database.

Each version's hash is sha256(prev_hash + content), content being a JSON array of the
receipt's identity and the version's fields in a fixed order. The SQL side builds it with
jsonb_build_array(...)::text (supabase/schemas/receipts/15_evidence_chain.sql); json.dumps
with ensure_ascii=False and the default separators writes the same text for these values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from supajobs_receipts.evidence.history import HistoryRow

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    receipt_id: str
    problem: str

    def __str__(self) -> str:
        return f"history #{self.seq} (receipt {self.receipt_id}): {self.problem}"


def utc_text(at: dt.datetime) -> str:
    """receipts._utc(): microseconds, UTC, a Z."""
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def content(row: HistoryRow) -> str:
    values = [
        row.seq, str(row.receipt_id), row.version, row.sha256, row.original_name,
        row.content_type, row.source, row.message_id, utc_text(row.received_at), row.status,
        row.receipt_date.isoformat() if row.receipt_date else None, row.total, row.tax,
        row.tax_rate, row.vendor, row.invoice_number, row.category, row.needs_review,
        list(row.review_reasons), row.read_source, row.stored_path,
        str(row.duplicate_of) if row.duplicate_of else None, row.duplicate_reason,
        row.changed_by, utc_text(row.changed_at), row.change_reason,
    ]
    return json.dumps(values, ensure_ascii=False)


def link_hash(prev_hash: str, text: str) -> str:
    return hashlib.sha256((prev_hash + text).encode()).hexdigest()


def check_chain(rows: Iterable[HistoryRow], prev_hash: str = GENESIS, first_seq: int = 1
                ) -> list[ChainProblem]:
    """Every problem in the chain: gaps, broken links, hashes that do not match the row.

    After a broken row the check goes on from the hash that row claims, so one edited row
    is reported once, not as every row after it.
    """
    problems: list[ChainProblem] = []
    expected_seq = first_seq
    versions: dict[str, int] = {}
    for row in rows:
        rid = str(row.receipt_id)
        if row.seq != expected_seq:
            problems.append(ChainProblem(row.seq, rid, f"expected #{expected_seq} next: "
                                         f"{row.seq - expected_seq} row(s) missing or reordered"))
        if row.prev_hash != prev_hash:
            problems.append(ChainProblem(row.seq, rid, "does not link to the row before it"))
        if link_hash(row.prev_hash, content(row)) != row.hash:
            problems.append(ChainProblem(row.seq, rid, "its content does not match its hash "
                                         "(the row was changed after it was written)"))
        if row.version != versions.get(rid, 0) + 1:
            problems.append(ChainProblem(row.seq, rid, f"version {row.version} follows "
                                         f"version {versions.get(rid, 0)}"))
        versions[rid] = row.version
        prev_hash, expected_seq = row.hash, row.seq + 1
    return problems
