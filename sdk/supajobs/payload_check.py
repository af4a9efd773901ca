"""Payload checks shared with jobs._item_problem: the jsonb text of a value (sizes match the
database's), NUL characters, and a quick C-speed path for the common, plainly small payload."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

PAYLOAD_LIMIT_BYTES = 262144


def jsonb_text(value: Any) -> str:
    """The text PostgreSQL gives a jsonb value, so sizes and quoted values match the database:
    `', '` and `': '` separators, object keys sorted by byte length then bytes (jsonb's
    order), numbers as numeric prints them (1e16 -> 10000000000000000)."""
    if value is None or isinstance(value, bool | int | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        number = Decimal(repr(value))  # sent as repr(); numeric prints no exponent
        return format(abs(number) if number.is_zero() else number, "f")  # nor a -0
    if isinstance(value, Mapping):
        keys = [(k if isinstance(k, str) else json.dumps(k), v) for k, v in value.items()]
        keys.sort(key=lambda kv: (len(kv[0].encode()), kv[0].encode()))
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {jsonb_text(v)}"
                               for k, v in keys) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(jsonb_text(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False, default=str)


# In compact JSON these may print differently from jsonb (numeric has no exponent) or hide a
# NUL (escaped as \u0000); strings that merely contain them only cost the exact path.
_NOT_QUICK = re.compile(r"[0-9][eE]|Infinity|NaN|\\u0000")


def quick_size_ok(payload: Any) -> bool:
    """True when the payload is certainly storable and within the limit, judged from
    json.dumps (C speed): same separators as jsonb, and with no exponents and no NUL, every
    value prints at least as long as in jsonb. False means: run the exact checks."""
    try:
        text = json.dumps(payload, ensure_ascii=False)
    except (TypeError, ValueError):
        return False
    if _NOT_QUICK.search(text) is not None:
        return False
    try:
        return len(text.encode()) <= PAYLOAD_LIMIT_BYTES
    except UnicodeEncodeError:  # a lone surrogate: the exact path says what is wrong
        return False


def has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False


def payload_problem(payload: Any, label: str) -> tuple[str, str, str] | None:
    if has_nul(payload):  # jsonb cannot store U+0000 at all
        return ("SJ101", "payload", f"{label}payload contains a NUL character (U+0000), which "
                "PostgreSQL cannot store")
    size = len(jsonb_text(payload).encode())
    if size > PAYLOAD_LIMIT_BYTES:
        return ("SJ101", "payload",
                f"{label}payload is {size} bytes; the limit is {PAYLOAD_LIMIT_BYTES} bytes")
    return None
