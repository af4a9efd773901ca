"""Client-side checks of enqueue requests, with the rules and messages of jobs._item_problem.

Run before any round trip; the database checks again (and alone knows the job types).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from supajobs.errors import ValidationError
from supajobs.payload_check import jsonb_text, payload_problem, quick_size_ok
from supajobs.tracing import valid_trace_context

BATCH_LIMIT = 10000
PRIORITIES = ("critical", "high", "medium", "low")


def json_type(value: Any) -> str:
    """jsonb_typeof() of a Python value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object" if isinstance(value, Mapping) else "array"


def _is_int_in(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def item_problem(item: Any, label: str = "") -> tuple[str, str, str] | None:
    """The first problem of one job request as (sqlstate, field, message), or None."""
    if not isinstance(item, Mapping):
        what = label.rstrip(".") or "job"
        return "SJ101", "job", f"{what} must be a JSON object describing a job"
    if not isinstance(item.get("job_type"), str):
        return "SJ100", "job_type", f"{label}job_type is required (a string)"
    payload = item.get("payload", {})
    if "payload" in item and not isinstance(payload, Mapping):
        return "SJ101", "payload", f"{label}payload must be a JSON object, got {json_type(payload)}"
    if not quick_size_ok(payload):
        problem = payload_problem(payload, label)
        if problem is not None:
            return problem
    priority = item.get("priority")
    if priority is not None and priority not in PRIORITIES:
        return ("SJ104", "priority",
                f"{label}priority {jsonb_text(priority)} is not one of critical, high, medium, low")
    attempts = item.get("max_attempts")
    if attempts is not None and not _is_int_in(attempts, 1, 5):
        return ("SJ102", "max_attempts",
                f"{label}max_attempts must be an integer from 1 to 5, got {jsonb_text(attempts)}")
    timeout = item.get("timeout_seconds")
    if timeout is not None and not _is_int_in(timeout, 1, 1800):
        return ("SJ103", "timeout_seconds", f"{label}timeout_seconds must be an integer from 1 "
                f"to 1800 (30 minutes), got {jsonb_text(timeout)}")
    run_at = item.get("run_at")
    if run_at is not None and not (isinstance(run_at, datetime) and run_at.tzinfo is not None):
        return "SJ105", "run_at", f"{label}run_at must be a timezone-aware datetime"
    key = item.get("idempotency_key")
    if isinstance(key, str) and "\x00" in key:
        return ("SJ105", "idempotency_key", f"{label}idempotency_key contains a NUL character "
                "(U+0000), which PostgreSQL cannot store")
    if key is not None and not (isinstance(key, str) and 1 <= len(key) <= 200):
        return ("SJ105", "idempotency_key",
                f"{label}idempotency_key must be a string of 1 to 200 characters")
    ref = item.get("ref")
    if ref is not None and not isinstance(ref, str):
        return "SJ105", "ref", f"{label}ref must be a string"
    rate_key = item.get("rate_key")
    if rate_key is not None and not (isinstance(rate_key, str) and 1 <= len(rate_key) <= 200):
        return "SJ105", "rate_key", f"{label}rate_key must be a string of 1 to 200 characters"
    trace_context = item.get("trace_context")
    if trace_context is not None and not valid_trace_context(trace_context):
        return ("SJ105", "trace_context", f"{label}trace_context must be a W3C traceparent "
                "(00-<32 hex>-<16 hex>-<2 hex>), optionally followed by a space and a "
                "tracestate, at most 600 characters")
    deps = item.get("depends_on")
    if deps is not None and (not isinstance(deps, Sequence) or isinstance(deps, str) or any(
            not (isinstance(d, str) or _is_int_in(d, 0, 2**63 - 1)) for d in deps)):
        return ("SJ106", "depends_on", f"{label}depends_on must be a list of job ids "
                "(or refs of jobs in the same batch)")
    return None


def _raise(problem: tuple[str, str, str]) -> None:
    code, field, message = problem
    raise ValidationError(message, field=field, code=code)


def check_job(item: Mapping[str, Any]) -> None:
    problem = item_problem(item)
    if problem is not None:
        _raise(problem)


def plain_request(job_type: Any, payload: Any) -> bool:
    """A job_type string and a dict payload of JSON values that is plainly small: valid as it
    stands (the database still checks the type) and already JSON (to_json would copy it)."""
    return type(job_type) is str and type(payload) is dict and quick_size_ok(payload)


_PLAIN_KEYS = frozenset({"job_type", "payload"})


def _plain_shape(item: Any) -> bool:
    return (type(item) is dict and item.keys() <= _PLAIN_KEYS
            and type(item.get("job_type")) is str and type(item.get("payload", {})) is dict)


def _plain_items(items: Sequence[Any]) -> list[bool]:
    """Which items are certainly valid and already JSON: a dict of only job_type (a string)
    and a payload of JSON values that is plainly small. Most are; they skip the detailed
    checks and the conversion to JSON."""
    shapes = [_plain_shape(item) for item in items]
    # One json.dumps for the whole batch: when all payloads together are plainly small, so
    # is each of them (its text is a part of the whole).
    if all(shapes) and quick_size_ok([item.get("payload", {}) for item in items]):
        return shapes
    return [shape and quick_size_ok(item.get("payload", {})) for shape, item in zip(
        shapes, items, strict=True)]


def check_batch(items: Sequence[Any]) -> list[bool]:
    """Raise the first problem of a batch; returns which items are plain (_plain_items)."""
    if len(items) > BATCH_LIMIT:
        raise ValidationError(f"a batch holds at most {BATCH_LIMIT} jobs, got {len(items)}",
                              field="jobs", code="SJ105")
    plain = _plain_items(items)
    for index, item in enumerate(items):
        problem = None if plain[index] else item_problem(item, f"jobs[{index}].")
        if problem is not None:
            _raise(problem)
    return plain
