"""After 合計: points used, what was handed over and how (cash, card, IC, QR), and footers.

Points lower only お支払額 (what was paid): the receipt's total stays the printed 合計.
"""

from __future__ import annotations

import random

from .items import yen
from .truth import Money


def _tendered(amount: int, rng: random.Random) -> int:
    step = rng.choice((1000, 1000, 5000, 10000))
    return max(step, -(-amount // step) * step) + rng.choice((0, 0, 0, 10, 100))


def payment_lines(rng: random.Random, money: Money, style: str, tags: list[str]) -> list[str]:
    lines: list[str] = []
    paid = money.total
    if money.points:
        tags.append("points")
        paid -= money.points
        lines += [f"ポイント利用|-{yen(money.points, style)}",
                  f"{rng.choice(('お支払額', 'お支払い', '差引お支払'))}|{yen(paid, style)}"]
    how = rng.choice(("cash", "cash", "card", "ic", "qr"))
    if how == "cash":
        given = _tendered(paid, rng)
        lines += [f"{rng.choice(('お預り', 'お預かり', '預り金'))}|{yen(given, style)}",
                  f"{rng.choice(('お釣り', 'おつり', 'お釣'))}|{yen(given - paid, style)}"]
    elif how == "card":
        brand = rng.choice(("VISA", "Mastercard", "JCB", "AMEX"))
        lines += [f"{rng.choice(('クレジット', 'クレジット支払', 'カード'))}|{yen(paid, style)}",
                  f"{brand} ************{rng.randint(1000, 9999)}",
                  f"承認番号 {rng.randint(100000, 999999)}  一括"]
    elif how == "ic":
        lines += [f"{rng.choice(('交通系IC', 'Suica', 'nanaco', 'WAON'))}支払|{yen(paid, style)}",
                  f"残高|{yen(rng.randint(paid // 2 + 1, paid * 3 + 1000), style)}"]
    else:
        lines += [f"{rng.choice(('PayPay', 'd払い', '楽天ペイ', 'au PAY'))}|{yen(paid, style)}"]
    if money.points or rng.random() < 0.3:
        earned = max(1, paid // 100)
        lines.append(f"今回付与ポイント {earned}P  累計 {rng.randint(earned, 9999)}P")
    return lines


_CLERKS = ("佐藤", "鈴木", "高橋", "田中")


def register_line(rng: random.Random) -> str:
    """The till's line: register, receipt number, clerk; numbers a reader must not take."""
    return rng.choice((f"レジ{rng.randint(1, 9):02d}  No.{rng.randint(1000, 9999)}",
                       f"責No.{rng.randint(100, 999)}  担当:{rng.choice(_CLERKS)}",
                       f"#{rng.randint(100000, 999999)}  POS{rng.randint(1, 12)}"))


def footer(rng: random.Random) -> list[str]:
    return rng.choice((["^ありがとうございました"], ["^またのご来店をお待ちしております"],
                       ["上記正に領収いたしました"], [], ["^お買上げありがとうございます",
                                                     "返品の際はレシートをお持ちください"]))
