"""What one generated receipt is: the lines to print, and the fields a reader must find.

Layout markup of a line: "^" centred title, "^^" large centred title, "left|right" puts the
right part flush right (amounts), ">" a line flush right, "---" a rule. Everything else is
printed flush left.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["pdf", "image", "hard"]
Part = Literal["tune", "heldout"]
Regime = Literal["inner", "outer", "untaxed"]
KINDS: tuple[Kind, ...] = ("pdf", "image", "hard")
PARTS: tuple[Part, ...] = ("tune", "heldout")


@dataclass(frozen=True)
class TaxPart:
    """One rate's share: the amount it applies to (tax included for 内税, excluded for 外税)."""

    rate: int
    base: int
    tax: int


@dataclass(frozen=True)
class Money:
    """The arithmetic behind the printed amounts, kept so that tests can check it.

    total is the printed 合計 (what the receipt is for); points used reduce only the amount
    paid after it (paid = total - points), so they never change total or tax.
    """

    regime: Regime
    subtotal: int      # items before discounts (tax included for 内税, excluded for 外税)
    discount: int      # 値引 / 割引, a positive number of yen
    parts: tuple[TaxPart, ...]
    total: int
    points: int = 0
    untaxed: int = 0   # part of the total no rate applies to (stamps, IC charge)

    @property
    def tax(self) -> int:
        return sum(p.tax for p in self.parts)


@dataclass(frozen=True)
class Issuer:
    """Who issued it: the printed name and branch, and the strings a reader may answer."""

    name: str
    branch: str | None = None
    accepted: tuple[str, ...] = ()


@dataclass(frozen=True)
class Receipt:
    lines: tuple[str, ...]
    date: str                  # ISO
    money: Money
    issuer: Issuer
    invoice_number: str | None
    kind: Kind
    tags: tuple[str, ...] = field(default=())

    @property
    def total(self) -> int:
        return self.money.total

    @property
    def tax(self) -> int:
        return self.money.tax

    def truth(self) -> dict[str, Any]:
        """The expected fields as stored beside the file (<file>.json)."""
        return {"date": self.date, "total": self.total, "tax": self.tax,
                "invoice_number": self.invoice_number, "vendor": list(self.issuer.accepted),
                "kind": self.kind, "tags": list(self.tags), "lines": list(self.lines),
                "money": asdict(self.money)}


_KEY_DROP = re.compile("[\\s\\-\u2010\u2011\u2012\u2013\u2014\u2015\u30fc\u2212\u30fb\uff65]")


def vendor_key(text: str) -> str:
    """The form vendor names are compared in: NFKC, no spaces, dashes or middle dots."""
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", text)).casefold()
