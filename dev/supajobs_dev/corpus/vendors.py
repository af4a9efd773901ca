"""Vendor pools, each cut into a tuning half and a held-out half with distinct names.

The accepted answers follow the scorer's rules: the issuer as printed (with its branch when
one is printed), and for companies the name with or without its legal form. Never the bare
branch, never the bare brand when a branch is printed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

from . import names
from .truth import Issuer, Part

T = TypeVar("T")
_FULL_FORM = {"(株)": "株式会社", "(有)": "有限会社"}


def half(pool: Sequence[T], part: Part) -> tuple[T, ...]:
    """Every other entry: tune takes the even ones, heldout the odd ones (never the same)."""
    return tuple(pool[0::2] if part == "tune" else pool[1::2])


def pick(rng: random.Random, pool: Sequence[T], part: Part) -> T:
    return rng.choice(half(pool, part))


def branch(rng: random.Random, part: Part) -> str:
    return pick(rng, names.PLACES, part) + rng.choice(names.BRANCH_SUFFIXES)


def chain(rng: random.Random, part: Part, with_branch: bool) -> Issuer:
    brand = pick(rng, names.CHAINS, part)
    if not with_branch:
        return Issuer(brand, None, (brand,))
    where = branch(rng, part)
    return Issuer(brand, where, (f"{brand}{where}",))


def company_forms(core: str, form: str, printed: str) -> tuple[str, ...]:
    """The printed name, the bare name, and the legal form spelled out or abbreviated."""
    full = _FULL_FORM.get(form, form)
    short = next((abbr for abbr, long in _FULL_FORM.items() if long == full), full)
    variants = [printed, core]
    for f in dict.fromkeys((full, short)):
        variants += [f"{f}{core}", f"{core}{f}"]
    return tuple(dict.fromkeys(variants))


def company(rng: random.Random, part: Part, core: str | None = None) -> Issuer:
    core = core or pick(rng, names.COMPANY_CORES, part)
    form = rng.choice(names.LEGAL_FORMS)
    gap = " " if rng.random() < 0.3 else ""
    printed = f"{form}{gap}{core}" if rng.random() < 0.6 else f"{core}{gap}{form}"
    return Issuer(printed, None, company_forms(core, form, printed))


def restaurant(rng: random.Random, part: Part) -> Issuer:
    if rng.random() < 0.3:
        name = pick(rng, names.FOREIGN_STYLE, part)
    else:
        gap = rng.choice((" ", " ", "　", ""))
        name = f"{pick(rng, names.GENRES, part)}{gap}{pick(rng, names.SHOP_NAMES, part)}"
    return Issuer(name, None, (name,))


def taxi(rng: random.Random, part: Part) -> Issuer:
    core = pick(rng, names.TAXI_NAMES, part)
    if rng.random() < 0.3:
        return Issuer(core, None, (core,))
    return company(rng, part, core)


def railway(rng: random.Random, part: Part) -> Issuer:
    printed = pick(rng, names.RAILWAYS, part)
    return Issuer(printed, None, company_forms(printed.removesuffix("株式会社"), "株式会社",
                                               printed))


def hotel(rng: random.Random, part: Part) -> Issuer:
    name = pick(rng, names.HOTELS, part)
    return Issuer(name, None, (name,))


def saas(rng: random.Random, part: Part) -> Issuer:
    core = pick(rng, names.SAAS, part)
    printed = f"{core} {rng.choice(names.SAAS_FORMS)}"
    return Issuer(printed, None, (printed, core))


def all_names(part: Part) -> set[str]:
    """Every name and branch place a part can print (for the disjointness test)."""
    pools = (names.CHAINS, names.PLACES, names.GENRES, names.SHOP_NAMES, names.FOREIGN_STYLE,
             names.COMPANY_CORES, names.TAXI_NAMES, names.RAILWAYS, names.HOTELS, names.SAAS)
    return {name for pool in pools for name in half(pool, part)}
