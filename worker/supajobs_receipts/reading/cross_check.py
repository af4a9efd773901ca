"""Amounts that must agree: the total against cash, card, 小計 and the tax; the tax against its
rates. A total that contradicts the rest (smaller than the tax or an item: a digit group lost
to OCR) is replaced by the value the other amounts agree on, when there is one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .model import Found
from .money_facts import MoneyFacts

DERIVED_TOTAL = 0.5  # a total worked out from the payment lines: a person confirms it


@dataclass(frozen=True)
class Checked:
    total: Found[int] | None
    tax: Found[int] | None
    total_holds: list[str] = field(default_factory=list)  # checks the total passed
    tax_holds: list[str] = field(default_factory=list)
    total_conflicts: list[str] = field(default_factory=list)  # what the total contradicts
    tax_conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # values replaced or worked out

    @property
    def problems(self) -> list[str]:
        """Everything a reviewer should read, once each, for the warnings."""
        return list(dict.fromkeys([*self.notes, *self.total_conflicts, *self.tax_conflicts]))


def _near(value: int, exact: float) -> bool:
    """Equal to a tax computed as `exact`, whichever way it was rounded."""
    return abs(value - exact) < 1.0 + 1e-9


def total_holds(value: int, facts: MoneyFacts, tax: int | None) -> list[str]:
    holds: list[str] = []
    paid = {value, value - facts.points}
    if facts.cash_paid is not None and facts.cash_paid in paid:
        holds.append("お預り - お釣り")
    if paid & set(facts.card):
        holds.append("card payment")
    for sub in facts.subtotals:
        if sub - facts.discount == value:
            holds.append("小計 - 値引 (内税)")
        elif tax and sub - facts.discount + tax == value:
            holds.append("小計 - 値引 + 税 (外税)")
    if len(facts.items) >= 2 and sum(facts.items) - facts.discount in (value, value - (tax or 0)):
        holds.append("items add up")
    return holds


def total_conflicts(value: int, facts: MoneyFacts, tax: int | None) -> list[str]:
    conflicts: list[str] = []
    if tax is not None and tax > value:
        conflicts.append(f"tax {tax} exceeds the total {value}")
    if facts.items and max(facts.items) > value + facts.discount + facts.points:
        conflicts.append(f"an item of {max(facts.items)} costs more than the total {value}")
    if facts.subtotals and min(facts.subtotals) > value + facts.discount + facts.points:
        conflicts.append(f"the subtotal {min(facts.subtotals)} exceeds the total {value}")
    return conflicts


def tax_holds(tax: int, total: int | None, bases: dict[int, int], facts: MoneyFacts) -> list[str]:
    holds: list[str] = []
    if bases and total:  # each rate's part rounded on its own: one yen of slack per rate
        # ...and only when the bases cover the whole purchase: one rate's base alone would
        # confirm that rate's part as the whole tax.
        inside = sum(base * rate / (100 + rate) for rate, base in bases.items())
        outside = sum(base * rate / 100 for rate, base in bases.items())
        covered = sum(bases.values())
        if abs(covered - total) <= 2 and abs(tax - inside) < len(bases) + 1e-9:
            holds.append("tax matches its rates' bases (内税)")
        elif abs(covered + tax - total) <= 2 and abs(tax - outside) < len(bases) + 1e-9:
            holds.append("tax matches its rates' bases (外税)")
    if total:
        if any(_near(tax, total * rate / (100 + rate)) for rate in (10, 8)):
            holds.append("tax is 10 % or 8 % of the total")
        if any(sub - facts.discount + tax == total for sub in facts.subtotals):
            holds.append("小計 - 値引 + 税 = 合計")
    return holds


def _derived_totals(facts: MoneyFacts, tax: int | None) -> list[int]:
    values = [v for v in (facts.cash_paid,) if v is not None]
    values += [v + facts.points for v in values if facts.points]
    values += facts.card + [sub - facts.discount + (tax or 0) for sub in facts.subtotals]
    values += [sub - facts.discount for sub in facts.subtotals]
    return [v for v in values if v > 0]


def check(total: Found[int] | None, tax: Found[int] | None, candidates: list[tuple[int, int]],
          facts: MoneyFacts, bases: dict[int, int], tax_options: Sequence[int] = ()) -> Checked:
    tax_value = tax.value if tax is not None else None
    notes: list[str] = []
    if total is not None and total_conflicts(total.value, facts, tax_value):
        # an unconfirmed total stays (and is less sure); a contradicted one goes
        better = _better_total(total, candidates, facts, tax_value)
        if better is not None:
            notes.append(f"total {total.value} replaced by {better.value}, which the other "
                         "amounts agree on")
            total = better
    if total is None:  # no total keyword read: what cash or card paid, never unreviewed
        derived = [(len(total_holds(v, facts, tax_value)), v)
                   for v in _derived_totals(facts, tax_value)]
        supported = [d for d in derived if d[0] > 0 and not total_conflicts(d[1], facts, tax_value)]
        if supported:
            total = Found(max(supported)[1], DERIVED_TOTAL, 0)
            notes.append(f"no total line read: {total.value} from the payment lines")
    total_value = total.value if total is not None else None
    holds_tax = tax_holds(tax_value, total_value, bases, facts) if tax_value is not None else []
    if tax is not None and not holds_tax:  # a rate's part the parser could not place
        for option in tax_options:
            option_holds = tax_holds(option, total_value, bases, facts)
            if option_holds:
                notes.append(f"tax {tax.value} replaced by {option}, with every rate's part")
                tax, tax_value, holds_tax = Found(option, tax.confidence, tax.line), option, \
                    option_holds
                break
    if total_value is None:
        return Checked(total, tax, [], holds_tax, notes=notes)
    over = [f"tax {tax_value} exceeds the total {total_value}"] \
        if tax_value is not None and tax_value > total_value else []
    return Checked(total, tax, total_holds(total_value, facts, tax_value), holds_tax,
                   total_conflicts(total_value, facts, tax_value), over, notes)


def _better_total(current: Found[int], candidates: list[tuple[int, int]], facts: MoneyFacts,
                  tax: int | None) -> Found[int] | None:
    """Another keyword total or a derived one that the other amounts confirm, none contradict."""
    options = [(v, line) for v, line in candidates if v != current.value]
    options += [(v, current.line) for v in _derived_totals(facts, tax) if v != current.value]
    scored = [(len(total_holds(v, facts, tax)), v, line) for v, line in options
              if not total_conflicts(v, facts, tax)]
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return None
    _, value, line = max(scored, key=lambda s: (s[0], s[1]))
    return Found(value, current.confidence, line)
