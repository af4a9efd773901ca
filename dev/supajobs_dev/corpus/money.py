"""The money block of a shop receipt: 小計, discounts, tax per rate, 合計, all consistent.

内税 (prices include tax): each rate's tax is floor(base * r / (100 + r)) of its tax-included
base. 外税 (prices exclude tax): floor(base * r / 100), and 合計 = 小計 - 値引 + 税. Items with
rate 0 (stamps, IC charge) count in 合計 and in no rate's base.
"""

from __future__ import annotations

import random
from collections import defaultdict

from .items import Item, yen
from .truth import Money, Regime, TaxPart


def _minus(rng: random.Random, amount: int, style: str) -> str:
    return rng.choice(("-", "▲", "△", "-")) + yen(amount, style)


def _bases(items: list[Item], discount: int) -> dict[int, int]:
    """Each rate's base; the discount comes off the largest taxed base (one rate only)."""
    bases: dict[int, int] = defaultdict(int)
    for item in items:
        if item.rate:
            bases[item.rate] += item.price
    if discount and bases:
        rate = max(bases, key=lambda r: bases[r])
        bases[rate] -= discount
    return dict(sorted(bases.items()))


def compute(items: list[Item], regime: Regime, discount: int, points: int) -> Money:
    subtotal = sum(item.price for item in items)
    untaxed = sum(item.price for item in items if not item.rate)
    bases = {} if regime == "untaxed" else _bases(items, discount)
    if regime == "outer":
        parts = tuple(TaxPart(r, b, b * r // 100) for r, b in bases.items())
        total = subtotal - discount + sum(p.tax for p in parts)
    else:
        parts = tuple(TaxPart(r, b, b * r // (100 + r)) for r, b in bases.items())
        total = subtotal - discount
    return Money(regime, subtotal, discount, parts, total, points, untaxed)


def _tax_label(rng: random.Random) -> str:
    return rng.choice(("消費税等", "消費税", "内消費税等", "内税", "内消費税"))


def block(rng: random.Random, money: Money, style: str, tags: list[str]) -> list[str]:
    """The printed lines from 小計 to 合計 (payment lines come after, payment.py)."""
    lines: list[str] = []
    mixed = len(money.parts) > 1
    if money.regime == "outer" or money.discount or rng.random() < 0.5:
        label = rng.choice(("小計", "小 計", "小計(税抜)" if money.regime == "outer" else "小計"))
        lines.append(f"{label}|{yen(money.subtotal, style)}")
    if money.discount:
        label = rng.choice(("値引", "割引", "クーポン値引", "会員割引", "値引き"))
        lines.append(f"{label}|{_minus(rng, money.discount, style)}")
        tags.append("discount")
    if money.regime == "outer":
        tags.append("outside_tax")
        for p in money.parts:
            if mixed or rng.random() < 0.4:
                lines.append(f"({p.rate}%対象 {yen(p.base, style)})")
            label = rng.choice((f"消費税({p.rate}%)", f"外税 {p.rate}%", f"消費税等 {p.rate}%"))
            lines.append(f"{label}|{yen(p.tax, style)}")
    total_label = rng.choice(("合計", "合 計", "合計金額", "お買上計", "ご請求額"))
    lines.append(f"{total_label}|{yen(money.total, style)}")
    if money.regime == "inner":
        lines += _inner_tax_lines(rng, money, style, mixed)
    elif money.regime == "untaxed":
        tags.append("untaxed")
        lines.append(rng.choice(("(非課税)", "(不課税)", f"消費税等|{yen(0, style)}", "")))
    if money.untaxed and money.regime != "untaxed":
        tags.append("partly_untaxed")
        lines.append(f"(非課税対象 {yen(money.untaxed, style)})")
    if mixed:
        tags.append("mixed_rate")
    return [line for line in lines if line]


def _inner_tax_lines(rng: random.Random, money: Money, style: str, mixed: bool) -> list[str]:
    if not mixed and rng.random() < 0.5:
        p = money.parts[0] if money.parts else None
        tax = p.tax if p else 0
        form = rng.choice(("({label} {amt})", "({label} {rate}% {amt})", "{label}|{amt}"))
        return [form.format(label=_tax_label(rng), amt=yen(tax, style), rate=p.rate if p else 10)]
    lines: list[str] = []
    for p in money.parts:
        if rng.random() < 0.5:
            lines.append(f"({p.rate}%対象 {yen(p.base, style)} 内消費税 {yen(p.tax, style)})")
        else:
            mark = "※" if p.rate == 8 else ""
            lines += [f"{mark}{p.rate}%対象|{yen(p.base, style)}",
                      f" 内消費税|{yen(p.tax, style)}"]
    return lines
