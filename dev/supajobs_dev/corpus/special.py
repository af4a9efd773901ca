"""Receipts that are not shop slips: taxi, train and bus tickets, hotel invoices.

All are tax-included at 10 %; a hotel's 宿泊税 is outside consumption tax (rate 0).
"""

from __future__ import annotations

import datetime as dt
import random

from . import vendors
from .dates import clock, japanese, random_day
from .header import contact_lines, issuer_lines, registration_number
from .items import Item, yen, yen_style
from .money import block, compute
from .truth import Kind, Part, Receipt

_STATIONS = (
    "東京", "新大阪", "名古屋", "博多", "仙台", "京都", "横浜", "大宮", "品川", "広島", "新潟",
    "金沢", "渋谷", "新宿", "池袋", "天神", "梅田", "三宮",
)


def taxi(rng: random.Random, part: Part, kind: Kind) -> Receipt:
    tags = ["taxi"]
    issuer, number, day = vendors.taxi(rng, part), registration_number(rng), random_day(rng)
    style = yen_style(rng)
    fare = rng.randrange(500, 12000, 10)
    goods = [Item(rng.choice(("運賃", "料金", "運送料")), fare, 10)]
    if rng.random() < 0.4:
        goods.append(Item("迎車", rng.choice((300, 400, 420, 500)), 10))
    if rng.random() < 0.3:
        goods.append(Item(rng.choice(("高速代", "有料道路")), rng.randrange(300, 2500, 10), 10))
    money = compute(goods, "inner", 0, 0)
    lines = ["^領収書", *issuer_lines(rng, issuer, tags), *contact_lines(rng, number),
             japanese(rng, day, with_time=False),
             f"乗車 {clock(rng)}  降車 {clock(rng)}",
             f"車番 {rng.randint(100, 9999)}  乗務員 {rng.randint(10000, 99999)}", "---"]
    lines += [f"{item.name}|{yen(item.price, style)}" for item in goods]
    lines += block(rng, money, style, tags)
    lines += [rng.choice(("クレジット", "現金", "交通系IC", "GO Pay")),
              "^ご乗車ありがとうございました"]
    return Receipt(tuple(lines), day.isoformat(), money, issuer, number, kind, tuple(tags))


def ticket(rng: random.Random, part: Part, kind: Kind) -> Receipt:
    tags = ["ticket"]
    issuer, day = vendors.railway(rng, part), random_day(rng)
    number = registration_number(rng) if rng.random() < 0.9 else None
    style = yen_style(rng)
    origin, dest = rng.sample(_STATIONS, 2)
    goods = [Item("乗車券", rng.randrange(170, 15000, 10), 10)]
    if rng.random() < 0.5:
        goods.append(Item(rng.choice(("特急券", "指定席特急券", "グリーン券")),
                          rng.randrange(800, 9000, 10), 10))
    money = compute(goods, "inner", 0, 0)
    lines = [rng.choice(("^領収書", "^乗車券類領収書", "^領 収 書")), f"{origin} → {dest}",
             f"{rng.choice(('大人', '大人1名', ''))}"]
    lines += [f"{item.name}|{yen(item.price, style)}" for item in goods]
    lines += block(rng, money, style, tags)
    lines += [japanese(rng, day), "上記の金額を正に領収いたしました"]
    bottom = [issuer.name, f"{rng.choice(_STATIONS)}駅発行"]
    if number:
        bottom.append(f"登録番号 {number}")
    lines += bottom
    tags.append("issuer_bottom")
    return Receipt(tuple(x for x in lines if x), day.isoformat(), money, issuer, number, kind,
                   tuple(tags))


def hotel(rng: random.Random, part: Part, kind: Kind) -> Receipt:
    tags = ["hotel"]
    issuer, number, out = vendors.hotel(rng, part), registration_number(rng), random_day(rng)
    nights = rng.randint(1, 4)
    style = yen_style(rng)
    room = rng.randrange(6000, 32000, 100)
    goods = [Item(f"宿泊料 {nights}泊", room * nights, 10)]
    if rng.random() < 0.5:
        goods.append(Item("朝食", rng.choice((1500, 2200, 3000)) * nights, 10))
    if rng.random() < 0.6:
        goods.append(Item("宿泊税", rng.choice((100, 200, 300)) * nights, 0))
    money = compute(goods, "inner", 0, 0)
    check_in = out - dt.timedelta(days=nights)
    lines = [rng.choice(("^^領収書", "^^御請求書 兼 領収書", "^^ご利用明細書")), "ゲスト 様",
             f"ご宿泊 {check_in:%Y/%m/%d} - {out:%Y/%m/%d} ({nights}泊)",
             f"発行日 {japanese(rng, out, with_time=False)}", "---"]
    lines += [f"{item.name}|{yen(item.price, style)}" for item in goods]
    lines += block(rng, money, style, tags)
    lines += ["---", *issuer_lines(rng, issuer, tags), *contact_lines(rng, number)]
    tags.append("issuer_bottom")
    return Receipt(tuple(lines), out.isoformat(), money, issuer, number, kind, tuple(tags))
