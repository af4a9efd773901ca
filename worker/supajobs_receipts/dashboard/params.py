"""The search route's query parameters, checked before any call: a bad one is a 400 that
names it. Ranges that parse but make no sense (from after to, negative amounts) are left to
receipts.search_receipts, whose message the page shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from supajobs_worker.dashboard.extension import BadRequestError

INT4 = 2**31 - 1
MAX_VENDOR = 200
DEFAULT_LIMIT = 500
TRUE = {"1", "true", "on", "yes"}
FALSE = {"", "0", "false", "off", "no"}
KNOWN = {"date_from", "date_to", "amount_min", "amount_max", "vendor", "include_duplicates",
         "include_deleted", "limit"}


def _day(name: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadRequestError(f"{name} must be a date (YYYY-MM-DD), got {text!r}") from None


def _int(name: str, text: str, what: str = "a whole number of yen") -> int:
    try:
        value = int(text)
    except ValueError:
        raise BadRequestError(f"{name} must be {what}, got {text!r}") from None
    if abs(value) > INT4:
        raise BadRequestError(f"{name} must be at most {INT4}, got {text!r}")
    return value


def _flag(name: str, text: str) -> bool:
    if text.lower() in TRUE:
        return True
    if text.lower() in FALSE:
        return False
    raise BadRequestError(f"{name} must be true or false, got {text!r}")


def search_args(query: Mapping[str, str]) -> dict[str, Any]:
    """EvidenceApi.search's keyword arguments; empty parameters count as not given."""
    unknown = sorted(set(query) - KNOWN)
    if unknown:
        raise BadRequestError(f"unknown parameter {unknown[0]!r} "
                              f"(known: {', '.join(sorted(KNOWN))})")
    given = {k: v.strip() for k, v in query.items() if v.strip()}
    args: dict[str, Any] = {}
    for name in ("date_from", "date_to"):
        if name in given:
            args[name] = _day(name, given[name])
    for name in ("amount_min", "amount_max"):
        if name in given:
            args[name] = _int(name, given[name])
    if "vendor" in given:
        if len(given["vendor"]) > MAX_VENDOR:
            raise BadRequestError(f"vendor must be at most {MAX_VENDOR} characters")
        args["vendor"] = given["vendor"]
    for name in ("include_duplicates", "include_deleted"):
        args[name] = _flag(name, given.get(name, ""))
    limit = given.get("limit")
    args["max_rows"] = DEFAULT_LIMIT if limit is None else _int("limit", limit, "a number of rows")
    return args


def receipt_id(text: str) -> str:
    try:
        return str(UUID(text))
    except ValueError:
        raise BadRequestError(f"receipt_id must be a receipt's id (a UUID), got {text!r}") \
            from None


def note(body: Mapping[str, Any]) -> str | None:
    """A decision's optional note: a string of at most 1000 characters, blank = none."""
    given = body.get("note")
    if given is not None and not isinstance(given, str):
        raise BadRequestError("note must be a string")
    given = given.strip() if given else None
    if given is not None and len(given) > 1000:
        raise BadRequestError("note must be at most 1000 characters")
    return given or None


def decision(body: Mapping[str, Any]) -> tuple[str, str | None]:
    """The POST body {"decision": "confirmed"|"rejected", "note": "..."} checked."""
    made = body.get("decision")
    if made not in ("confirmed", "rejected"):
        raise BadRequestError(f"decision must be 'confirmed' or 'rejected', got {made!r}")
    return made, note(body)
