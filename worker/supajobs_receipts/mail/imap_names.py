"""IMAP wire formats: mailbox names (modified UTF-7, RFC 3501 5.1.3) and INTERNALDATE."""

from __future__ import annotations

import base64
import re
from datetime import UTC, date, datetime, timedelta, timezone

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_DATE = re.compile(
    rb'INTERNALDATE "\s?(\d{1,2})-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"'
)


def encode_mailbox(name: str) -> str:
    """A mailbox name as sent on the wire: modified UTF-7, then quoted."""
    out, pending = [], ""
    for char in name:
        if " " <= char <= "~":
            if pending:
                out.append(_shift(pending))
                pending = ""
            out.append("&-" if char == "&" else char)
        else:
            pending += char
    if pending:
        out.append(_shift(pending))
    encoded = "".join(out)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _shift(text: str) -> str:
    packed = base64.b64encode(text.encode("utf-16-be")).decode().rstrip("=")
    return "&" + packed.replace("/", ",") + "-"


def internaldate(head: bytes) -> datetime | None:
    """The INTERNALDATE in a FETCH response, as an aware datetime (locale-independent)."""
    found = _DATE.search(head)
    if found is None or found.group(2).decode() not in _MONTHS:
        return None
    day, mon, year, hh, mm, ss, sign, oh, om = (g.decode() for g in found.groups())
    offset = timedelta(hours=int(oh), minutes=int(om)) * (-1 if sign == "-" else 1)
    stamp = datetime(
        int(year), _MONTHS[mon], int(day), int(hh), int(mm), int(ss), tzinfo=timezone(offset)
    )
    return stamp.astimezone(UTC)


def imap_date(day: date) -> str:
    """A SEARCH date (`1-Jun-2024`); English month names whatever the process locale."""
    month = next(name for name, number in _MONTHS.items() if number == day.month)
    return f"{day.day}-{month}-{day.year}"
