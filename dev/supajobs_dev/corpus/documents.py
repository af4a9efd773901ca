"""Documents rather than slips: English SaaS invoices and handwritten-style 領収書.

Both print 税抜 and 消費税 separately (外税 arithmetic); the 領収書 has its issuer at the
bottom and a customer (…様 / …御中) near the top that is never the vendor.
"""

from __future__ import annotations

import datetime as dt
import random

from . import vendors
from .dates import english, japanese, random_day
from .header import address, contact_lines, phone, registration_number
from .items import Item, yen
from .money import compute
from .truth import Kind, Part, Receipt

_PLANS = ("Pro plan", "Team plan", "Business plan", "Storage add-on", "API usage", "Seats")
_CUSTOMERS = ("山田商事 様", "株式会社サンプル 御中", "佐藤 様", "合同会社テスト工房 御中", "上様")
_PURPOSES = ("お品代", "飲食代", "書籍代", "会議費", "文具代", "修理代")


def english_invoice(rng: random.Random, part: Part, kind: Kind) -> Receipt:
    issuer, number, day = vendors.saas(rng, part), registration_number(rng), random_day(rng)
    goods = [Item(f"{rng.choice(_PLANS)} ({day:%b %Y})", rng.randrange(500, 80000, 10), 10)
             for _ in range(rng.randint(1, 3))]
    money = compute(goods, "outer", 0, 0)
    cur = rng.choice(("¥{:,}", "JPY {:,}", "{:,} JPY", "¥{:,}"))
    due = day + dt.timedelta(days=rng.choice((14, 30)))
    lines = [rng.choice(("^^INVOICE", "^^Invoice", "^^Receipt", "^^Tax Invoice")),
             issuer.name, f"{rng.randint(1, 9)}-{rng.randint(1, 20)}-{rng.randint(1, 9)} "
             f"{rng.choice(('Shibuya, Shibuya-ku', 'Marunouchi, Chiyoda-ku', 'Umeda, Kita-ku'))}",
             f"Registration Number: {number}", f"Invoice number: INV-{rng.randint(10000, 99999)}",
             f"Date of issue: {english(rng, day)}", f"Date due: {english(rng, due)}",
             "Bill to: Supajobs Users G.K.", "---", "Description|Amount"]
    lines += [f"{item.name}|{cur.format(item.price)}" for item in goods]
    tax = money.parts[0]
    lines += ["---", f"Subtotal|{cur.format(money.subtotal)}",
              f"{rng.choice(('Consumption tax', 'Tax', 'JCT'))} (10%)|{cur.format(tax.tax)}",
              f"Total|{cur.format(money.total)}", f"Amount paid|{cur.format(money.total)}"]
    return Receipt(tuple(lines), day.isoformat(), money, issuer, number, kind,
                   ("english_invoice",))


def ryoshusho(rng: random.Random, part: Part, kind: Kind) -> Receipt:
    tags = ["handwritten_style_ryoshusho", "issuer_bottom"]
    issuer = vendors.company(rng, part) if rng.random() < 0.5 else vendors.restaurant(rng, part)
    day = random_day(rng)
    number = registration_number(rng) if rng.random() < 0.8 else None
    base = rng.randrange(1000, 280000, rng.choice((10, 100, 1000)))
    outer = rng.random() < 0.6
    money = compute([Item("品代", base, 10)], "outer" if outer else "inner", 0, 0)
    if outer:
        tags.append("outside_tax")
    amount = rng.choice(("¥{:,}-", "￥{:,}-", "¥{:,}※", "金 {:,} 円也", "¥{:,}.-"))
    amount = amount.format(money.total)
    lines = ["^^領 収 書", f"No.{rng.randint(1, 999):04d}", f">{japanese(rng, day, False)}",
             rng.choice(_CUSTOMERS), f"^^{amount}",
             f"但し {rng.choice(_PURPOSES)}として", "上記正に領収いたしました"]
    p = money.parts[0]
    if outer:
        lines += [f"税抜金額|{yen(p.base, 'yen')}", f"消費税額(10%)|{yen(p.tax, 'yen')}"]
    else:
        lines += [f"(内消費税等 10% {yen(p.tax, 'yen')})"]
    lines += ["---", issuer.name]
    lines += contact_lines(rng, number) if rng.random() < 0.5 else [*address(rng), phone(rng)] + (
        [f"登録番号 {number}"] if number else [])
    return Receipt(tuple(lines), day.isoformat(), money, issuer, number, kind, tuple(tags))
