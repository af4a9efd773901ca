"""What the matcher takes and gives: a receipt's facts, the user's settings, one result each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class ReceiptFacts:
    key: str                   # the file name (CLI) or the receipt id (job)
    date: dt.date | None
    total: int | None          # yen, tax included
    vendor: str | None
    invoice_number: str | None = None  # T + 13 digits


@dataclass(frozen=True)
class MatchSettings:
    amount_tolerance_yen: int = 0  # card fees: a deal may be up to this much more
    days_before: int = 3           # the deal's date may be this many days before the receipt's
    days_after: int = 7            # … or after it (card lines post days later)
    min_score: float = 0.7         # below: never attached (see scoring.py for what adds up)
    margin: float = 0.15           # the best must lead the next candidate by this much

    def __post_init__(self) -> None:
        if self.amount_tolerance_yen < 0 or self.days_before < 0 or self.days_after < 0:
            raise ValueError("tolerance and day windows must be 0 or more")
        if not 0 < self.min_score <= 1 or not 0 <= self.margin < 1:
            raise ValueError("min_score must be in (0, 1] and margin in [0, 1)")


class MatchStatus(StrEnum):
    ATTACHED = "attached"    # exactly one deal, clearly best: attach the receipt to it
    AMBIGUOUS = "ambiguous"  # candidates, none clearly best: a person decides
    NO_MATCH = "no_match"    # no deal could be this receipt


@dataclass(frozen=True)
class MatchResult:
    key: str
    deal_id: int | None
    score: float
    status: MatchStatus
    candidates: list[int] = field(default_factory=list)  # best first
    reason: str | None = None  # why not attached, in words a user can act on
