"""Which receipt class a file gets, by kind: PDFs lean to invoices and documents, photos to
shop slips, taxis and tickets (the mix of the evaluators' 60 receipts)."""

from __future__ import annotations

import random
from collections.abc import Callable

from . import compose, documents, special
from .truth import Kind, Part, Receipt

Maker = Callable[[random.Random, Part, Kind], Receipt]


def _shop(flavour: compose.Flavour) -> Maker:
    def make(rng: random.Random, part: Part, kind: Kind) -> Receipt:
        return compose.shop_receipt(rng, part, kind, flavour)
    return make


_MAKERS: dict[str, Maker] = {
    "shop": _shop("shop"), "restaurant": _shop("restaurant"), "long": _shop("long"),
    "electronics": _shop("electronics"), "untaxed": _shop("untaxed"),
    "taxi": special.taxi, "ticket": special.ticket, "hotel": special.hotel,
    "english_invoice": documents.english_invoice, "ryoshusho": documents.ryoshusho,
}
_WEIGHTS: dict[Kind, dict[str, int]] = {
    "pdf": {"shop": 22, "restaurant": 10, "electronics": 10, "english_invoice": 15, "hotel": 10,
            "ryoshusho": 15, "ticket": 5, "untaxed": 5, "long": 5, "taxi": 3},
    "image": {"shop": 38, "restaurant": 15, "long": 8, "untaxed": 8, "electronics": 5,
              "taxi": 12, "ticket": 7, "ryoshusho": 5, "hotel": 2},
    "hard": {"shop": 40, "restaurant": 15, "taxi": 15, "ryoshusho": 10, "long": 5,
             "untaxed": 5, "ticket": 10},
}


def choose_class(rng: random.Random, kind: Kind) -> str:
    weights = _WEIGHTS[kind]
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def make(name: str, rng: random.Random, part: Part, kind: Kind) -> Receipt:
    return _MAKERS[name](rng, part, kind)
