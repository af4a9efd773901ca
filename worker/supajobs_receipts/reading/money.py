"""Yen amounts inside one normalized line, told apart from dates, times, phones and counts."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(r"(?P<pre>¥|JPY)?[ ]?(?P<num>\d{1,3}(?:,\d{3})+(?![\d,])|\d+)"
                     r"(?P<suf>[ ]?(?:円|JPY(?![a-z])))?", re.IGNORECASE)
# A bare number touching one of these is part of a date, time, phone, percentage or count.
_NOT_MONEY_AFTER = set("%$*点個枚件名年月日時分秒:/.") | {"ml", "kg", "cm", "gb", "mb"}
_JOINERS = set(":/.-")
MAX_YEN = 1_000_000_000


@dataclass(frozen=True)
class Money:
    value: int
    start: int
    end: int
    marked: bool  # written with ¥, JPY or 円, so certainly an amount of money


def _bare_number_ok(line: str, start: int, end: int) -> bool:
    before = line[start - 1] if start > 0 else " "
    after = line[end:end + 2].casefold()
    if before.isascii() and before.isalpha():
        return False  # T-numbers, model names, "x2"
    if after[:1] in _NOT_MONEY_AFTER or after in _NOT_MONEY_AFTER:
        return False
    if after[:1].isalpha() and after[:1].isascii():
        return False
    if before in _JOINERS and start > 1 and line[start - 2].isdigit():
        return False
    return not (after[:1] in _JOINERS and after[1:2].isdigit())


def find_money(line: str) -> list[Money]:
    """Every amount of money in the line, left to right."""
    found: list[Money] = []
    for match in _NUMBER.finditer(line):
        digits = match.group("num").replace(",", "")
        marked = bool(match.group("pre") or match.group("suf"))
        start, end = match.start("num"), match.end("num")
        if not marked and (len(digits) > 9 or not _bare_number_ok(line, start, end)):
            continue
        if marked and match.group("pre") and not match.group("suf"):
            after = line[end:end + 1]
            if after in {"%", ":", "/"}:
                continue
        value = int(digits)
        if value < MAX_YEN:
            found.append(Money(value, match.start(), match.end(), marked))
    return found


def amount_only(line: str) -> Money | None:
    """The amount when the line holds nothing else (PDF tables put values on their own line)."""
    money = find_money(line)
    if len(money) != 1:
        return None
    rest = (line[: money[0].start] + line[money[0].end:]).strip(" -()¥円:")
    return money[0] if not rest else None


def keyword_pattern(*keywords: str) -> re.Pattern[str]:
    """Keywords matched with optional spaces between characters (OCR spacing), case-free."""
    spaced = ("[ ]?".join(re.escape(ch) for ch in kw) for kw in keywords)
    return re.compile("|".join(spaced), re.IGNORECASE)
