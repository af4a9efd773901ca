"""Output of `supajobs receipts parse`: one JSON list, or a table for people."""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Sequence
from typing import Any

from .errors import UnreadableReceipt
from .model import FIELD_NAMES, ReceiptFields

Outcome = tuple[str | os.PathLike[str], ReceiptFields | UnreadableReceipt]


def to_record(
    file: str | os.PathLike[str], outcome: ReceiptFields | UnreadableReceipt
) -> dict[str, Any]:
    """One JSON object: file, date (ISO), total, tax, vendor, invoice_number, confidence,
    needs_review; an unreadable file has null fields, needs_review true and an error."""
    if isinstance(outcome, UnreadableReceipt):
        return {"file": os.fspath(file), "date": None, "total": None, "tax": None, "vendor": None,
                "invoice_number": None, "confidence": dict.fromkeys(FIELD_NAMES, 0.0),
                "needs_review": True, "error": str(outcome), "reason": outcome.reason.value}
    return {
        "file": os.fspath(file),
        "date": outcome.date.isoformat() if outcome.date else None,
        "total": outcome.total,
        "tax": outcome.tax,
        "vendor": outcome.vendor,
        "invoice_number": outcome.invoice_number,
        "confidence": {name: round(outcome.confidence.get(name, 0.0), 2) for name in FIELD_NAMES},
        "needs_review": outcome.needs_review,
        "source": outcome.source,
        "warnings": list(outcome.warnings),
    }


def to_json(outcomes: Sequence[Outcome]) -> str:
    return json.dumps([to_record(f, o) for f, o in outcomes], ensure_ascii=False, indent=2)


def _cell(value: Any, confidence: float) -> str:
    if value is None:
        return "-"
    return f"{value} ({confidence:.2f})"


def to_table(outcomes: Sequence[Outcome]) -> str:
    """A plain-text table, one row per file, each field with its confidence."""
    header = ["file", "date", "total", "tax", "vendor", "invoice_number", "review"]
    rows = [header]
    for file, outcome in outcomes:
        record = to_record(file, outcome)
        if "error" in record:
            rows.append([record["file"], f"UNREADABLE {record['error']}", "", "", "", "", "yes"])
            continue
        conf = record["confidence"]
        rows.append([record["file"]] + [_cell(record[name], conf[name]) for name in FIELD_NAMES]
                    + ["yes" if record["needs_review"] else "no"])
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    lines = ("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row))
             for row in rows)
    return "\n".join(line.rstrip() for line in lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two terminal columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
