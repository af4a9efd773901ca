"""The total paid (tax included): 合計, ご請求額, 税込, Total… or, failing that, a lone ¥ amount."""

from __future__ import annotations

import re
from collections import Counter

from .model import Found
from .money import Money, amount_only, find_money, keyword_pattern
from .normalize import compact

# Strength 3: says "the amount charged"; 2: a plain total; 1: hints only.
_KEYWORDS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (3, ("総合計", "税込合計", "合計金額", "ご請求金額", "ご請求額", "請求金額", "お支払金額",
         "お支払い金額", "支払金額", "領収金額", "お買上合計", "注文合計", "amount due",
         "grand total", "total amount")),
    (2, ("合計", "total")),
    (1, ("税込", "金額", "お買上")),
)
_PATTERNS = [(strength, keyword_pattern(*words)) for strength, words in _KEYWORDS]
# Lines that carry money that is not the total: subtotals, cash tendered, change, tax, points.
_EXCLUDE = ("小計", "subtotal", "対象", "預り", "預かり", "釣", "おつり", "値引", "割引",
            "ポイント", "点数", "消費税", "内税", "外税", "税額", "税抜", "期限", "残高")
_TAX_JA = keyword_pattern("(内", "内消費税", "消費税", "内税", "外税", "税額")
_TAX_EN = re.compile(r"\b(?:consumption\s*)?tax\b(?!\s*incl)", re.IGNORECASE)


def _segment(line: str) -> str:
    """The line up to a trailing tax note: "合計 ¥1,500 (内消費税 ¥136)" keeps "合計 ¥1,500"."""
    match = _TAX_JA.search(line)
    return line[: match.start()] if match and match.start() > 0 else line


def _excluded(line: str) -> bool:
    flat = compact(line)
    if any(word in flat for word in _EXCLUDE):
        return True
    return bool(_TAX_EN.search(line)) and "incl" not in flat


def _after_keyword(line: str, next_line: str | None, keyword_end: int) -> tuple[Money, bool] | None:
    """The amount following a keyword on its line, else alone on the next line."""
    money = [m for m in find_money(line) if m.start >= keyword_end]
    marked = [m for m in money if m.marked]
    if marked:
        return marked[0], False
    if money:
        return money[-1], False
    lone = amount_only(next_line) if next_line is not None else None
    return (lone, True) if lone is not None else None


def _keyword_candidates(lines: list[str]) -> list[tuple[int, Money, bool, int]]:
    found: list[tuple[int, Money, bool, int]] = []
    for index, full_line in enumerate(lines):
        line = _segment(full_line)
        if _excluded(line):
            continue
        for strength, pattern in _PATTERNS:
            match = pattern.search(line)
            if match is None:
                continue
            next_line = lines[index + 1] if index + 1 < len(lines) else None
            hit = _after_keyword(line, next_line, match.end())
            if hit is not None:
                found.append((strength, hit[0], hit[1], index))
                break
    return found


def _fallback(lines: list[str]) -> Found[int] | None:
    """No total keyword: the largest marked amount, trusted only alone on a line of a 領収書."""
    best: tuple[int, int, bool] | None = None
    for index, full_line in enumerate(lines):
        line = _segment(full_line)
        if _excluded(line):
            continue
        for money in find_money(line):
            if money.marked and (best is None or money.value > best[0]):
                best = (money.value, index, amount_only(line) is not None)
    if best is None:
        return None
    is_ryoshusho = any("領収" in compact(line) for line in lines)
    return Found(best[0], 0.7 if is_ryoshusho and best[2] else 0.45, best[1])


def total_candidates(lines: list[str]) -> list[tuple[int, int]]:
    """Every (value, line) a total keyword points at, strongest keywords first."""
    ranked = sorted(_keyword_candidates(lines), key=lambda c: -c[0])
    return [(money.value, index) for _, money, _, index in ranked]


def parse_total(lines: list[str]) -> Found[int] | None:
    """The total in yen, tax included, with a confidence; None when there is no amount at all."""
    candidates = _keyword_candidates(lines)
    if not candidates:
        return _fallback(lines)
    top = max(strength for strength, *_ in candidates)
    best_group = [c for c in candidates if c[0] == top]
    votes = Counter(c[1].value for c in best_group)
    value = max(votes, key=lambda v: (votes[v], v))
    strength, money, next_line, index = next(c for c in best_group if c[1].value == value)
    confidence = {3: 0.9, 2: 0.85, 1: 0.6}[strength]
    confidence += 0.05 if money.marked else -0.1
    confidence -= 0.05 if next_line else 0.0
    strong = {c[1].value for c in candidates if c[0] >= 2}
    if len(strong) > 1:
        confidence -= 0.2  # two "totals" that disagree
    elif len(candidates) > 1 and len({c[1].value for c in candidates}) == 1:
        confidence += 0.05
    return Found(value, max(0.0, min(1.0, confidence)), index)
