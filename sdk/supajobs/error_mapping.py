"""Map SQLSTATE codes and PostgREST error bodies to the supajobs exceptions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from supajobs.errors import (
    ConfigurationError,
    ConflictError,
    MissingFunctionError,
    NotFoundError,
    PermissionDeniedError,
    SupajobsError,
    TransientError,
    ValidationError,
)

# The field each validation SQLSTATE is about (SJ105 covers several; the message names it).
FIELD_BY_CODE = {
    "SJ100": "job_type", "SJ101": "payload", "SJ102": "max_attempts",
    "SJ103": "timeout_seconds", "SJ104": "priority", "SJ106": "depends_on",
}
_SQLSTATE = re.compile(r"^[0-9A-Z]{5}$")
# Rolled back for certain: retrying cannot apply the call twice.
_NOT_APPLIED = {"40001", "40P01", "53300", "57P03", "57014", "55P03"}
_MISSING_FUNCTION_HINT = "are the supajobs migrations applied and is schema jobs exposed?"


def _field_from_message(message: str) -> str | None:
    match = re.match(r"^(?:jobs\[\d+\]\.)?([a-z_]+)\b", message)
    return match.group(1) if match else None


def from_sqlstate(sqlstate: str | None, message: str, *, details: Any = None,
                  hint: str | None = None, status: int | None = None) -> SupajobsError:
    code = sqlstate or ""
    kw: dict[str, Any] = {"code": sqlstate, "details": details, "hint": hint, "status": status}
    if code.startswith("SJ1"):
        field = FIELD_BY_CODE.get(code) or _field_from_message(message)
        return ValidationError(message, field=field, **kw)
    if code == "SJ404":
        return NotFoundError(message, **kw)
    if code in ("SJ409", "23505", "23503"):
        return ConflictError(message, **kw)
    if code in _NOT_APPLIED:
        return TransientError(message, applied=False, **kw)
    if code.startswith(("08", "53", "57P")):
        return TransientError(message, applied=None, **kw)
    if code in ("42501",) or code.startswith("28"):
        return PermissionDeniedError(message, **kw)
    if code == "42883":
        return MissingFunctionError(message, **{**kw, "hint": hint or _MISSING_FUNCTION_HINT})
    if code.startswith(("22", "23")):
        return ValidationError(message, field=None, **kw)
    return SupajobsError(message, **kw)


def _from_pgrst(code: str, message: str, kw: dict[str, Any]) -> SupajobsError | None:
    if code in ("PGRST000", "PGRST001", "PGRST002", "PGRST003"):
        return TransientError(message, applied=False, **kw)  # PostgREST never reached the db
    if code == "PGRST202":
        return MissingFunctionError(message, **{**kw, "hint": kw["hint"] or _MISSING_FUNCTION_HINT})
    if code == "PGRST106":
        return ConfigurationError(message, **kw)
    if code.startswith("PGRST3"):
        return PermissionDeniedError(message, **kw)
    return None


def _from_status(status: int | None, message: str, kw: dict[str, Any]) -> SupajobsError:
    if status in (401, 403):
        return PermissionDeniedError(message, **kw)
    if status == 404:
        return NotFoundError(message, **kw)
    if status == 409:
        return ConflictError(message, **kw)
    if status is not None and status >= 500:
        return TransientError(message, applied=False if status == 503 else None, **kw)
    if status in (400, 422):
        return ValidationError(message, **kw)
    return SupajobsError(message, **kw)


def from_postgrest(body: Mapping[str, Any], status: int | None) -> SupajobsError:
    """Map a PostgREST error body {code, message, details, hint} and its HTTP status."""
    code = str(body.get("code") or "")
    message = str(body.get("message") or f"PostgREST request failed with status {status}")
    hint = body.get("hint")
    kw: dict[str, Any] = {"code": code or None, "details": body.get("details"),
                          "hint": str(hint) if hint is not None else None, "status": status}
    if status in (401, 403):
        return PermissionDeniedError(message, **kw)
    if code.startswith("PGRST"):
        mapped = _from_pgrst(code, message, kw)
        if mapped is not None:
            return mapped
    elif _SQLSTATE.match(code):
        mapped = from_sqlstate(code, message, details=kw["details"], hint=kw["hint"],
                               status=status)
        if type(mapped) is not SupajobsError:
            return mapped
    return _from_status(status, message, kw)
