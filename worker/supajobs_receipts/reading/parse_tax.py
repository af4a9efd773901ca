"""Consumption tax: one amount, or the 10 % and 8 % (reduced rate) parts added up; 0 when the
receipt says it is untaxed (不課税: IC-card charges, 非課税: stamps, medical care)."""

from __future__ import annotations

import re

from .model import Found
from .money import Money, amount_only, find_money, keyword_pattern
from .normalize import compact

_TAX = keyword_pattern("内消費税等", "消費税等", "内消費税", "消費税", "内税", "外税", "税額")
_TAX_EN = re.compile(r"\b(?:consumption\s*tax|jct|tax)\b", re.IGNORECASE)
# 10 % as OCR reads it too: 16%, 19*, 18$ (no other rate exists in Japan besides 8 %).
_RATE = re.compile(r"(?<!\d)(8|1[0689])\s*[%$*]")
_SUMMARY = ("合計", "total", "計")
_UNTAXED = ("不課税", "非課税", "課税対象外", "免税", "taxexempt", "nontaxable", "税対象外")


def rate_of(line: str) -> int | None:
    match = _RATE.search(line)
    if match:
        return 8 if match.group(1) == "8" else 10
    return 8 if "軽減" in line else None


def _tax_amount(lines: list[str], index: int) -> tuple[Money, int] | None:
    line = lines[index]
    match = _TAX.search(line) or _TAX_EN.search(line)
    if match is None or any(word in compact(line) for word in _UNTAXED):
        return None
    after = [m for m in find_money(line) if m.start >= match.end() and not _rate_read(line, m)]
    if after:
        return after[0], index
    if index + 1 < len(lines):
        lone = amount_only(lines[index + 1])
        if lone is not None:
            return lone, index + 1
    return None


def _rate_read(line: str, money: Money) -> bool:
    """"消費税(10)": the rate, its % lost to OCR, is no amount of tax."""
    return not money.marked and money.value in (8, 10) and line[money.end:money.end + 1] == ")"


def _context_rate(lines: list[str], index: int) -> int | None:
    """The rate of a bare 内消費税 line printed under its "8%対象 ¥1,080" line."""
    if index == 0:
        return None
    above = lines[index - 1]
    return rate_of(above) if "対象" in compact(above) and _TAX.search(above) is None else None


def parse_tax(lines: list[str]) -> Found[int] | None:
    """The tax in yen; the confidence says how clear the document was about it.

    A summary line (消費税等合計) wins. Otherwise breakdown lines (one per rate, "8%対象 …
    内消費税 ¥21", or the tax on the line under its base) are added up, one per rate; a lone
    tax line is taken as it is. No tax line on a receipt marked 不課税/非課税 means 0.
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
        rate = rate_of(line) or _context_rate(lines, index)
        if rate is not None or "対象" in flat:
            breakdown.setdefault(rate if rate is not None else ("line", index), (value, at))
        else:
            plain.append((value, at))
    if breakdown:
        first_line = min(at for _, at in breakdown.values())
        parts = sum(value for value, _ in breakdown.values())
        agrees = any(value == parts for value, _ in plain)  # "内消費税等 ¥51" beside the parts
        return Found(parts, 0.9 if agrees else 0.85, first_line)
    if plain:
        values = {value for value, _ in plain}
        return Found(plain[0][0], 0.8 if len(values) == 1 else 0.5, plain[0][1])
    untaxed = [i for i, line in enumerate(lines) if any(w in compact(line) for w in _UNTAXED)]
    return Found(0, 0.85, untaxed[0]) if untaxed else None


def tax_options(lines: list[str]) -> list[int]:
    """Other readings of the tax: the parts per rate plus tax lines no rate was found for
    (a garbled "8%対象" leaves its 内消費税 without a rate)."""
    parts: dict[object, int] = {}
    loose: list[int] = []
    for index, line in enumerate(lines):
        hit = _tax_amount(lines, index)
        if hit is None:
            continue
        rate = rate_of(line) or _context_rate(lines, index)
        if rate is None:
            loose.append(hit[0].value)
        else:
            parts.setdefault(rate, hit[0].value)
    if not parts or not loose:
        return []
    return [sum(parts.values()) + sum(loose)]


def rate_bases(lines: list[str]) -> dict[int, int]:
    """Per rate, the amount the tax is computed on ("10%対象 ¥1,100"), when printed."""
    bases: dict[int, int] = {}
    for line in lines:
        if "対象" not in compact(line):
            continue
        rate = rate_of(line)
        money = [m for m in find_money(line) if m.marked or m.value >= 10]
        if rate is not None and money and rate not in bases:
            bases[rate] = money[0].value
    return bases


def tax_consistent(tax: int, total: int) -> bool:
    """Japanese tax-included totals carry between 8/108 and 10/110 of tax (rounding either way)."""
    low, high = total * 8 / 108, total * 10 / 110
    return low - 2 <= tax <= high + 2
