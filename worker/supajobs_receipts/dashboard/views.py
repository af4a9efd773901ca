"""Rows as the receipts page shows them (JSON: dates and times ISO 8601, ids as strings)."""

from __future__ import annotations

from typing import Any

from supajobs_receipts.evidence import HistoryRow
from supajobs_receipts.pipeline.freee_api import MatchRow
from supajobs_receipts.pipeline.receipt_rows import PendingDuplicate, ReceiptRow


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def receipt(row: ReceiptRow) -> dict[str, Any]:
    return {"id": str(row.id), "date": _iso(row.receipt_date), "amount": row.total,
            "vendor": row.vendor, "registration_number": row.invoice_number,
            "status": row.status, "file": row.original_name, "stored_path": row.stored_path,
            "received_at": _iso(row.received_at), "version": row.version,
            "duplicate_of": None if row.duplicate_of is None else str(row.duplicate_of),
            "needs_review": row.needs_review}


def version(row: HistoryRow) -> dict[str, Any]:
    return {"version": row.version, "changed_at": _iso(row.changed_at),
            "changed_by": row.changed_by, "change_reason": row.change_reason,
            "status": row.status, "date": _iso(row.receipt_date), "amount": row.total,
            "vendor": row.vendor, "registration_number": row.invoice_number,
            "file": row.stored_path,
            "duplicate_of": None if row.duplicate_of is None else str(row.duplicate_of)}


def _side(row: ReceiptRow | None, rid: Any, name: str, received: Any) -> dict[str, Any]:
    """One receipt of a pair; the kept one's fields come from its own row (None when it
    could not be read, the names and times from the suggestion)."""
    return {"id": str(rid), "date": _iso(row.receipt_date) if row else None,
            "amount": row.total if row else None, "vendor": row.vendor if row else None,
            "file": name, "received_at": _iso(received)}


def pending(row: PendingDuplicate, kept: ReceiptRow | None) -> dict[str, Any]:
    return {"suggestion_id": row.suggestion_id, "reason": row.reason,
            "suggested_at": _iso(row.suggested_at),
            "receipt": {"id": str(row.receipt_id), "date": _iso(row.receipt_date),
                        "amount": row.total, "vendor": row.vendor, "file": row.original_name,
                        "received_at": _iso(row.received_at)},
            "kept": _side(kept, row.duplicate_of, row.kept_original_name,
                          row.kept_received_at)}


REASONS = {"ambiguous": "several freee deals fit equally well",
           "no_match": "no freee deal fits"}


def freee_pending(row: MatchRow) -> dict[str, Any]:
    """A receipt on the freee review list; candidates are deal ids, best first, and the
    reason is the sync's note (a failed attachment, a card line waiting) or the status's."""
    return {"receipt_id": str(row.receipt_id), "company_id": row.company_id,
            "status": row.status, "date": _iso(row.receipt_date), "amount": row.total,
            "vendor": row.vendor, "registration_number": row.invoice_number,
            "file": row.original_name, "candidates": row.candidates, "score": row.score,
            "reason": row.last_error or REASONS.get(row.status, row.status),
            "matched_at": _iso(row.matched_at)}
