"""Does a second reading of a field's line show the same value? (second_reading.py)

Only for fields nothing else confirms: amounts that the arithmetic confirms need no second
look, and a field already doubtful goes to review either way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .model import FieldName, Found
from .normalize import compact, normalize_line

Second = Callable[[int], str | None]  # a second reading of line i, or None when there is none
DISAGREEING = 0.45  # below the review threshold: two readings that differ mean a look
_NOT_NAME = re.compile(r"[^\w]|_")  # punctuation and spacing: the two readings may differ there


def _name_key(text: str) -> str:
    return _NOT_NAME.sub("", compact(normalize_line(text)))


def _trimmed(text: str) -> str:
    """Without the specks a strip's edges add: lone ASCII letters, digits, bars, dots."""
    words = text.split()
    while words and len(words[0]) <= 1 and words[0].isascii():
        words.pop(0)
    while words and len(words[-1]) <= 1 and words[-1].isascii():
        words.pop()
    return " ".join(words)


def agrees(name: FieldName, hit: Found[object], lines: list[str], second: Second) -> bool | None:
    """True or False when the field's line was read again; None when it could not be."""
    if name != "vendor":  # digits: the page pass had the English digit pass, a strip would not
        return None
    again = second(hit.line)  # only now: each second reading is a Tesseract call
    if again is None:
        return None
    return _name_key(lines[hit.line]) in _name_key(_trimmed(normalize_line(again)))
