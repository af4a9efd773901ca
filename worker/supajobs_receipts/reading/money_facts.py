"""The other amounts on a receipt, which a total and a tax must agree with.

小計 (subtotal), 値引/割引 (discounts), お預り and お釣り (cash tendered, change), ポイント
利用 (points spent), card payments, and the item lines. cross_check.py compares them with the
total and tax the parsers chose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .money import Money, amount_only, find_money
from .normalize import compact

_SUBTOTAL = ("小計", "subtotal")
_DISCOUNT = ("値引", "割引", "クーポン", "discount")
_TENDERED = ("お預り", "お預かり", "預り", "預かり", "お預", "現金")
_CHANGE = ("お釣", "釣銭", "おつり", "釣り", "change")
_POINTS = ("ポイント利用", "ポイント使用", "ポイント支払", "ポイント値引", "ポイント充当")
_CARD = ("クレジット", "カード", "電子マネー", "paypay", "交通系", "ic", "visa", "master", "jcb",
         "waon", "nanaco", "suica", "pasmo", "quicpay", "edy", "支払", "決済")
# Lines whose amount is not a purchased item: totals, taxes, bases, payments, counts.
_NOT_ITEM = ("合計", "計", "税", "対象", "total", "tax", "点数", "残高", "ポイント", "お支払",
             "支払", "請求", "領収", "預", "釣", "値引", "割引", "クーポン")


@dataclass(frozen=True)
class MoneyFacts:
    subtotals: list[int] = field(default_factory=list)
    discount: int = 0
    tendered: int | None = None
    change: int | None = None
    points: int = 0
    card: list[int] = field(default_factory=list)
    items: list[int] = field(default_factory=list)

    @property
    def cash_paid(self) -> int | None:
        """お預り - お釣り: what the cash actually paid, when both are printed."""
        if self.tendered is None or self.change is None or self.change > self.tendered:
            return None
        return self.tendered - self.change


def _amount(lines: list[str], index: int) -> Money | None:
    """The line's last amount, else an amount alone on the next line (table layouts)."""
    money = find_money(lines[index])
    if money:
        return money[-1]
    if index + 1 < len(lines):
        return amount_only(lines[index + 1])
    return None


def _has(flat: str, words: tuple[str, ...]) -> bool:
    return any(word in flat for word in words)


def money_facts(lines: list[str]) -> MoneyFacts:
    subtotals: list[int] = []
    card: list[int] = []
    items: list[int] = []
    discount = points = 0
    tendered: int | None = None
    change: int | None = None
    for index, line in enumerate(lines):
        flat = compact(line)
        if _has(flat, _POINTS):
            found = _amount(lines, index)
            points += found.value if found else 0
            continue
        if _has(flat, _SUBTOTAL):
            found = _amount(lines, index)
            if found is not None:
                subtotals.append(found.value)
        elif _has(flat, _DISCOUNT):
            found = _amount(lines, index)
            discount += found.value if found else 0
        elif _has(flat, _CHANGE):
            found = _amount(lines, index)
            change = found.value if found else change
        elif _has(flat, _TENDERED):
            found = _amount(lines, index)
            tendered = found.value if found else tendered
        elif _has(flat, _CARD) and not _has(flat, ("番号", "no", "*")):
            found = _amount(lines, index)
            if found is not None and found.marked:
                card.append(found.value)
        elif not _has(flat, _NOT_ITEM):
            money = [m for m in find_money(line) if m.marked]
            if len(money) == 1 and money[0].start > 0:
                items.append(money[0].value)
    return MoneyFacts(subtotals, discount, tendered, change, points, card, items)
