"""Months of receipts with the deals freee would hold for them, and the truth for each receipt.

Per receipt: its deal (a manual one naming the partner, a card-feed one whose line carries a
statement text — full-width, half-width katakana or plain — or one with nothing but date and
amount, posted 0 to 3 days later, sometimes with a card fee), or none at all, or one that already
has a file. Other expenses and income deals are mixed in. Same prices recur (a coffee a day),
which is where a matcher must not guess. Deterministic per seed.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass
from typing import Any

from supajobs_dev.matching.vendors import HELD_OUT, TUNING, Vendor

SPLITS = {"tuning": (TUNING, (101, 102, 103)), "held_out": (HELD_OUT, (901, 902, 903))}


@dataclass(frozen=True)
class Month:
    receipts: list[dict[str, Any]]   # as `supajobs receipts parse --json` prints them
    deals: dict[str, Any]            # a GET /deals body
    partners: dict[str, Any]         # a GET /partners body
    truth: dict[str, int | None]     # file -> the deal it belongs to (None: not in freee)
    taken: set[str]                  # files whose deal already has another file


def _card_text(line: str, rng: random.Random) -> str:
    style = rng.choice(("wide", "narrow", "plain"))
    if style == "wide":
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in line.upper())
    if style == "narrow":  # half-width katakana, as many card statements print it
        return "".join(_NARROW.get(c, c) for c in unicodedata.normalize("NFD", line))
    return line


# full-width katakana (and the voicing marks NFD splits off) -> their half-width forms
_NARROW = {unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0xFF66, 0xFF9E)}
_NARROW |= {"\u3099": "\uff9e", "\u309a": "\uff9f"}


def _deal(deal_id: int, day: dt.date, amount: int, partner_id: int | None,
          description: str | None, kind: str = "expense", files: list[int] | None = None
          ) -> dict[str, Any]:
    return {"id": deal_id, "company_id": 1, "issue_date": day.isoformat(), "due_date": None,
            "amount": amount, "due_amount": 0, "type": kind, "partner_id": partner_id,
            "partner_code": None, "ref_number": None, "status": "settled",
            "details": [{"id": deal_id * 10, "account_item_id": 803, "tax_code": 136,
                         "amount": amount, "vat": amount * 10 // 110,
                         "description": description, "entry_side": "debit"}],
            "receipts": [{"id": f, "status": "confirmed", "mime_type": "application/pdf",
                          "origin": "public_api", "created_at": "2026-11-30T10:00:00+09:00",
                          "file_src": "https://example.com/f", "user": {"id": 1}}
                         for f in (files or [])]}


def month(vendors: tuple[Vendor, ...], seed: int, receipts_per_month: int = 60) -> Month:
    rng = random.Random(seed)
    start = dt.date(2026, 1 + seed % 12, 1)
    # Most shops print their registration number; freee knows it for some partners.
    numbers = [f"T{rng.randrange(1, 10)}{rng.randrange(10**12):012d}" for _ in vendors]
    partners = [{"id": 100 + i, "code": None, "company_id": 1, "name": v[1],
                 "update_date": "2026-01-01", "available": True,
                 "invoice_registration_number": numbers[i] if rng.random() < 0.5 else None}
                for i, v in enumerate(vendors)]
    receipts: list[dict[str, Any]] = []
    deals: list[dict[str, Any]] = []
    truth: dict[str, int | None] = {}
    taken: set[str] = set()
    next_id = seed * 10_000
    for n in range(receipts_per_month):
        index = rng.randrange(len(vendors))
        shop, _, line, prices = vendors[index]
        day = start + dt.timedelta(days=rng.randrange(28))
        amount = rng.choice(prices)
        file = f"{seed}-{n:03d}.pdf"
        receipts.append({"file": file, "date": day.isoformat(), "total": amount, "tax": None,
                         "vendor": shop, "needs_review": False,
                         "invoice_number": numbers[index] if rng.random() < 0.7 else None})
        fate = rng.random()
        if fate < 0.08:  # paid in cash and never booked: nothing in freee
            truth[file] = None
            continue
        next_id += 1
        named = rng.random()
        partner_id = 100 + index if named < 0.35 else None
        text = _card_text(line, rng) if 0.35 <= named < 0.8 else None
        lag = 0 if partner_id is not None else rng.choice((0, 1, 1, 2, 3, -1))
        fee = rng.choice((110, 165, 220)) if rng.random() < 0.06 else 0
        files = [next_id * 7] if fate > 0.95 else None
        deals.append(_deal(next_id, day + dt.timedelta(days=lag), amount + fee, partner_id,
                           text, files=files))
        truth[file] = next_id
        if files:
            taken.add(file)
    for _ in range(receipts_per_month // 3):  # other expenses, and income, nobody's receipt
        next_id += 1
        day = start + dt.timedelta(days=rng.randrange(30))
        kind = "income" if rng.random() < 0.3 else "expense"
        amount = rng.choice(rng.choice(vendors)[3]) if rng.random() < 0.5 else rng.randrange(
            100, 90_000)
        deals.append(_deal(next_id, day, amount, None, None, kind=kind))
    rng.shuffle(deals)
    return Month(receipts, {"deals": deals, "meta": {"total_count": len(deals)}},
                 {"partners": partners}, truth, taken)


def split(name: str) -> list[Month]:
    vendors, seeds = SPLITS[name]
    return [month(vendors, seed) for seed in seeds]
