"""The receipts side of `supajobs receipts match`: the JSON list `supajobs receipts parse
--json` prints, each entry checked and turned into ReceiptFacts (errors name the entry)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from supajobs_receipts.matching.model import ReceiptFacts


class ReceiptsInputError(ValueError):
    """An entry that is not what `receipts parse --json` prints; names its index and field."""


def _text(entry: dict[str, Any], index: int, name: str) -> str | None:
    value = entry.get(name)
    if value is not None and not isinstance(value, str):
        raise ReceiptsInputError(f"receipts[{index}].{name}: must be text or null, got "
                                 f"{type(value).__name__}")
    return value


def _date(entry: dict[str, Any], index: int) -> dt.date | None:
    value = _text(entry, index, "date")
    try:
        return None if value is None else dt.date.fromisoformat(value)
    except ValueError:
        raise ReceiptsInputError(f"receipts[{index}].date: {value!r} is not YYYY-MM-DD") from None


def _total(entry: dict[str, Any], index: int) -> int | None:
    value = entry.get("total")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ReceiptsInputError(f"receipts[{index}].total: must be whole yen or null, got "
                                 f"{value!r}")
    return value


def receipt_facts(body: object) -> list[tuple[ReceiptFacts, str | None]]:
    """Each receipt's facts, with the parse error of an unreadable file (its fields are null)."""
    if not isinstance(body, list):
        raise ReceiptsInputError("not the output of `supajobs receipts parse --json`: "
                                 "expected a JSON list of receipts")
    out: list[tuple[ReceiptFacts, str | None]] = []
    seen: set[str] = set()
    for index, entry in enumerate(body):
        if not isinstance(entry, dict):
            raise ReceiptsInputError(f"receipts[{index}]: must be an object, got "
                                     f"{type(entry).__name__}")
        file = _text(entry, index, "file")
        if not file:
            raise ReceiptsInputError(f"receipts[{index}].file: missing")
        if file in seen:
            raise ReceiptsInputError(f"receipts[{index}].file: {file!r} appears twice")
        seen.add(file)
        facts = ReceiptFacts(file, _date(entry, index), _total(entry, index),
                             _text(entry, index, "vendor"), _text(entry, index, "invoice_number"))
        out.append((facts, _text(entry, index, "error")))
    return out
