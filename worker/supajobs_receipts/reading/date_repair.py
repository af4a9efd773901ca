"""Dates OCR broke: a 0 read as 6, 8 or 9 makes 2024 into 2624 and 10月 into 16月, which no
calendar has. Trying the usual confusions back, one or two digits at a time, finds the date a
person would read; the parser gives it a confidence below review (parse_date.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from itertools import combinations

_CONFUSED_WITH_ZERO = "689"
_DATE_LIKE = re.compile(r"\d{4}\s*[年/.\-]|令和|平成|\d{2}/\d{1,2}/\d{1,2}")
MAX_POSITIONS = 12  # of confusable digits per line: keeps the variants to a few dozen


def repaired_dates(line: str, dates_in: Callable[[str], Iterator[dt.date]],
                   today: dt.date | None = None) -> list[dt.date]:
    """Dates found once one or two confusable digits are read as 0; past dates from 2000 on."""
    if not _DATE_LIKE.search(line):
        return []
    limit = today or dt.date.today()
    positions = [i for i, ch in enumerate(line) if ch in _CONFUSED_WITH_ZERO][:MAX_POSITIONS]
    for count in (1, 2):
        for chosen in combinations(positions, count):
            chars = list(line)
            for i in chosen:
                chars[i] = "0"
            found = [d for d in dates_in("".join(chars)) if d.year >= 2000 and d <= limit]
            if found:
                return found
    return []
