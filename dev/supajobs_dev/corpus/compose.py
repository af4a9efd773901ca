"""Shop receipts (thermal slips and their PDFs): header, items, money block, payment.

Covers 内税, 外税, mixed 8 %/10 %, untaxed and partly untaxed, discounts, points, long slips
and a distractor date (an expiry printed below the receipt's own date).
"""

from __future__ import annotations

import random
from typing import Literal

from . import vendors
from .dates import distractor, japanese, random_day
from .header import contact_lines, issuer_lines, registration_number
from .items import Item, Store, items, yen, yen_style
from .money import block, compute
from .payment import footer, payment_lines, register_line
from .truth import Issuer, Kind, Part, Receipt, Regime

Flavour = Literal["shop", "restaurant", "electronics", "untaxed", "long"]


def _issuer(rng: random.Random, part: Part, flavour: Flavour) -> Issuer:
    if flavour == "restaurant":
        return vendors.restaurant(rng, part)
    if flavour in ("electronics", "untaxed") and rng.random() < 0.4:
        return vendors.company(rng, part)
    return vendors.chain(rng, part, with_branch=rng.random() < 0.6)


def _goods(rng: random.Random, flavour: Flavour) -> tuple[list[Item], Regime]:
    stores: dict[str, Store] = {"restaurant": "meal", "electronics": "electronics",
                                "untaxed": "untaxed"}
    default: Store = rng.choice(("food", "goods"))
    store: Store = stores.get(flavour, default)
    count = rng.randint(25, 40) if flavour == "long" else rng.randint(1, 7)
    if store == "electronics":
        count = rng.randint(1, 3)
    chosen = items(rng, store, count)
    if flavour == "untaxed":
        if rng.random() < 0.5:
            chosen = [Item(rng.choice(("Suicaチャージ", "交通系ICチャージ", "nanacoチャージ")),
                           rng.choice((1000, 2000, 3000, 5000, 10000)), 0)]
        elif rng.random() < 0.5:
            chosen += items(rng, "food", rng.randint(1, 2))  # stamps with a drink: partly taxed
            return chosen, "inner"
        return chosen, "untaxed"
    regime: Regime = "outer" if rng.random() < (0.5 if store == "electronics" else 0.3) else "inner"
    return chosen, regime


def _item_line(rng: random.Random, item: Item, style: str, mixed: bool) -> list[str]:
    mark = rng.choice(("※", "軽", "*")) if mixed and item.rate == 8 else ""
    if item.quantity > 1 and rng.random() < 0.6:
        each = item.price // item.quantity
        return [f"{mark}{item.name}", f"  {item.quantity}個 X 単{each:,}|{yen(item.price, style)}"]
    return [f"{mark}{item.name}|{yen(item.price, style)}"]


def shop_receipt(rng: random.Random, part: Part, kind: Kind, flavour: Flavour) -> Receipt:
    tags: list[str] = [flavour] if flavour != "shop" else []
    issuer = _issuer(rng, part, flavour)
    goods, regime = _goods(rng, flavour)
    subtotal = sum(item.price for item in goods)
    discount = 0
    if regime != "untaxed" and subtotal > 300 and rng.random() < 0.25:
        discount = min(subtotal // 3, rng.choice((50, 100, 200, 500, subtotal // 10)))
    points = 0
    if regime != "untaxed" and rng.random() < 0.2:
        points = min(subtotal // 2, rng.choice((1, 50, 100, 300, 500)))
    money = compute(goods, regime, discount, points)
    number = registration_number(rng) if rng.random() < 0.8 else None
    day = random_day(rng)
    style = yen_style(rng)
    lines = issuer_lines(rng, issuer, tags) + contact_lines(rng, number)
    if rng.random() < 0.5:
        lines.append(rng.choice(("^領収書", "^領 収 書", "^レシート", "^お買上明細")))
    lines += [japanese(rng, day), register_line(rng), "---"]
    mixed = len({item.rate for item in goods if item.rate}) > 1
    for item in goods:
        lines += _item_line(rng, item, style, mixed)
    lines.append("---")
    lines += block(rng, money, style, tags)
    lines += payment_lines(rng, money, style, tags)
    if rng.random() < 0.2:
        lines.append(distractor(rng, day))
        tags.append("extra_date")
    if mixed:
        lines.append("※印は軽減税率(8%)対象商品です")
    lines += footer(rng)
    if number is None:
        tags.append("no_invoice_number")
    return Receipt(tuple(lines), day.isoformat(), money, issuer, number, kind,
                   tuple(dict.fromkeys(tags)))
