"""Client-side checks of schedule definitions, with the messages of jobs.upsert_schedule."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from supajobs.cron_rules import check_cron
from supajobs.errors import ValidationError
from supajobs.validation import PRIORITIES

OVERLAPS = ("skip", "queue", "allow")


def quote_literal(text: str) -> str:
    """PostgreSQL's quote_literal()."""
    quoted = "'" + text.replace("'", "''").replace("\\", "\\\\") + "'"
    return ("E" + quoted) if "\\" in text else quoted


def _fail(code: str, field: str, message: str) -> None:
    raise ValidationError(message, field=field, code=code)


def check_name(name: Any) -> None:
    if not isinstance(name, str) or name == "":
        _fail("SJ109", "name", "schedule name is required")
    size = len(name.encode())
    if size > 54:
        _fail("SJ109", "name", f"schedule name {quote_literal(name[:60])} is {size} bytes long; "
              "at most 54 are allowed")
    if re.search(r"[\x00-\x1f\x7f]", name):
        _fail("SJ109", "name", f"schedule name {quote_literal(name)} contains a control character")
    if name != name.strip(" "):
        _fail("SJ109", "name",
              f"schedule name {quote_literal(name)} starts or ends with white space")


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_timezone(zone: Any) -> None:
    known = isinstance(zone, str) and (zone in _zones() or zone == "UTC")
    if known:
        try:
            ZoneInfo(zone)
        except (ValueError, OSError):
            known = False
    if not known:
        shown = quote_literal(zone) if isinstance(zone, str) else "null"
        _fail("SJ108", "timezone", f"timezone {shown} is not a known IANA time zone name "
              "(e.g. Asia/Tokyo, UTC, America/New_York)")


def check_schedule(name: Any, cron_expression: Any, payload: Any, priority: Any, timezone: Any,
                   overlap: Any) -> None:
    """Same order as upsert_schedule: name, cron, zone, (job type: server), payload, ..."""
    check_name(name)
    check_cron(cron_expression)
    check_timezone(timezone)
    if not isinstance(payload, Mapping):
        _fail("SJ101", "payload", "payload must be a JSON object")
    if priority is not None and priority not in PRIORITIES:
        shown = quote_literal(str(priority))
        _fail("SJ104", "priority", f"priority {shown} is not one of critical, high, medium, low "
              "(or null for the job type default)")
    if overlap not in OVERLAPS:
        shown = quote_literal(overlap) if isinstance(overlap, str) else "null"
        _fail("SJ110", "overlap", f"overlap {shown} is not one of skip, queue, allow")
