"""Consumption tax: one amount, or the 10 % and 8 % (reduced rate) amounts added up."""

from __future__ import annotations

import re

from .model import Found
from .money import Money, amount_only, find_money, keyword_pattern
from .normalize import compact

_TAX = keyword_pattern("内消費税等", "消費税等", "内消費税", "消費税", "内税", "外税", "税額")
_TAX_EN = re.compile(r"\b(?:consumption\s*tax|jct|tax)\b", re.IGNORECASE)
_RATE = re.compile(r"(?<!\d)(8|10)\s*%")
_SUMMARY = ("合計", "total", "計")


def _rate(line: str) -> int | None:
    match = _RATE.search(line)
    if match:
        return int(match.group(1))
    return 8 if "軽減" in line else None


def _tax_amount(lines: list[str], index: int) -> tuple[Money, int] | None:
    line = lines[index]
    match = _TAX.search(line) or _TAX_EN.search(line)
    if match is None:
        return None
    after = [m for m in find_money(line) if m.start >= match.end()]
    if after:
        return after[0], index
    if index + 1 < len(lines):
        lone = amount_only(lines[index + 1])
        if lone is not None:
            return lone, index + 1
    return None


def parse_tax(lines: list[str]) -> Found[int] | None:
    """The tax in yen; the confidence says how clear the document was about it.

    A summary line (消費税等合計) wins. Otherwise breakdown lines (one per rate, "8%対象 …
    内消費税 ¥21") are added up, one per rate; a lone tax line is taken as it is.
    """
    breakdown: dict[object, tuple[int, int]] = {}
    plain: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        hit = _tax_amount(lines, index)
        if hit is None:
            continue
        value, at = hit[0].value, hit[1]
        flat = compact(line)
        if any(word in flat for word in _SUMMARY) and "税込" not in flat:
            return Found(value, 0.9, at)
        rate = _rate(line)
        if rate is not None or "対象" in flat:
            breakdown.setdefault(rate if rate is not None else ("line", index), (value, at))
        else:
            plain.append((value, at))
    if breakdown:
        first_line = min(at for _, at in breakdown.values())
        return Found(sum(value for value, _ in breakdown.values()), 0.85, first_line)
    if not plain:
        return None
    values = {value for value, _ in plain}
    return Found(plain[0][0], 0.8 if len(values) == 1 else 0.5, plain[0][1])


def tax_consistent(tax: int, total: int) -> bool:
    """Japanese tax-included totals carry between 8/108 and 10/110 of tax (rounding either way)."""
    low, high = total * 8 / 108, total * 10 / 110
    return low - 2 <= tax <= high + 2
