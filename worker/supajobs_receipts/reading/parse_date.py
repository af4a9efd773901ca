"""The receipt's date: 2024年6月20日, 2024/06/20, R6.6.20, 令和6年6月20日, 平成, June 3, 2024."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from .date_repair import repaired_dates
from .model import Found
from .normalize import compact

REPAIRED = 0.45  # a date read back from confusable digits: likely right, never unreviewed
_SEP = r"\s*[年/.\-]\s*"
_WESTERN = re.compile(rf"(?<!\d)((?:19|20)\d{{2}}){_SEP}(\d{{1,2}})\s*[月/.\-]\s*(\d{{1,2}})(?!\d)")
_ERA = re.compile(
    rf"(令和|平成|昭和|(?<![A-Za-z])[RHS])\s*(元|\d{{1,2}}){_SEP}(\d{{1,2}})\s*[月/.\-]\s*(\d{{1,2}})(?!\d)"
)
# Thermal slips shorten the year: "24/06/20 12:34" (always year/month/day in Japan).
_SHORT_YEAR = re.compile(r"(?<![\d/.\-:])(\d{2})/(\d{1,2})/(\d{1,2})(?![\d/])")
_DAY_FIRST = re.compile(
    r"\b(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,?\s+((?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ENGLISH = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),?\s+((?:19|20)\d{2})\b",
    re.IGNORECASE,
)
# First year of each era minus one: Reiwa 1 = 2019, Heisei 1 = 1989, Showa 1 = 1926.
_ERA_BASE = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}
_ISSUE_WORDS = ("発行日", "請求日", "領収日", "取引日", "注文日", "購入日", "利用日", "ご利用日",
                "日付", "日時", "invoicedate", "dateofissue", "issued", "date", "発行")
# Dates that are not when the purchase happened.
_OTHER_WORDS = ("期間", "期限", "支払期日", "有効", "period", "due", "までに", "締切", "~", "〜")


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def dates_in(line: str) -> Iterator[dt.date]:
    """Every valid calendar date written in the line."""
    for m in _WESTERN.finditer(line):
        if (d := _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))) is not None:
            yield d
    for m in _ERA.finditer(line):
        year = 1 if m.group(2) == "元" else int(m.group(2))
        if (d := _make(_ERA_BASE[m.group(1)] + year, int(m.group(3)), int(m.group(4)))) is not None:
            yield d
    for m in _DAY_FIRST.finditer(line):
        month = _MONTHS.index(m.group(2)[:3].casefold()) + 1
        if (d := _make(int(m.group(3)), month, int(m.group(1)))) is not None:
            yield d
    for m in _SHORT_YEAR.finditer(line):
        if (d := _make(2000 + int(m.group(1)), int(m.group(2)), int(m.group(3)))) is not None:
            yield d
    for m in _ENGLISH.finditer(line):
        month = _MONTHS.index(m.group(1).casefold()) + 1
        if (d := _make(int(m.group(3)), month, int(m.group(2)))) is not None:
            yield d


def parse_date(lines: list[str]) -> Found[dt.date] | None:
    """The purchase or issue date; dates of periods and due dates are passed over."""
    labelled: list[tuple[dt.date, int]] = []
    plain: list[tuple[dt.date, int]] = []
    other: list[tuple[dt.date, int]] = []
    for index, line in enumerate(lines):
        flat = compact(line)
        for found in dates_in(line):
            if any(word in flat for word in _OTHER_WORDS):
                other.append((found, index))
            elif any(word in flat for word in _ISSUE_WORDS):
                labelled.append((found, index))
            else:
                plain.append((found, index))
    if labelled:
        return _score(labelled[0], 0.95)
    if plain:
        distinct = {d for d, _ in plain}
        return _score(plain[0], 0.9 if len(distinct) == 1 else 0.65)
    if other:
        return _score(other[0], 0.4)
    for index, line in enumerate(lines):
        repaired = repaired_dates(line, dates_in)
        if repaired:
            return Found(repaired[0], REPAIRED, index)
    return None


def _score(hit: tuple[dt.date, int], confidence: float) -> Found[dt.date]:
    found, index = hit
    if not 2000 <= found.year <= 2099:
        confidence = min(confidence, 0.5)  # an old or far-future date is more likely misread
    return Found(found, confidence, index)
