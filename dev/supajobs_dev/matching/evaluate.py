"""How the matcher does on a split: attached right, attached wrong, left for a person.

`python -m supajobs_dev.matching.evaluate [tuning|held_out]` prints the table; the tests
assert the held-out numbers, and docs/freee.md carries them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from supajobs_dev.matching.generate import Month, split
from supajobs_receipts.matching import (
    MatchSettings,
    MatchStatus,
    match_receipts,
    parse_deals,
    parse_partner_records,
)
from supajobs_receipts.matching.receipts_input import receipt_facts

SETTINGS = MatchSettings(amount_tolerance_yen=220)  # a user whose card adds fees


@dataclass
class Tally:
    receipts: int = 0
    in_freee: int = 0         # receipts whose deal exists and has no file yet
    attached_right: int = 0
    attached_wrong: int = 0   # to another deal, to a taken one, or with no deal in freee
    left_for_review: int = 0  # a deal was there, the matcher did not decide
    rightly_unattached: int = 0
    wrong: list[str] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str]]:
        attached = self.attached_right + self.attached_wrong
        precision = self.attached_right / attached if attached else 1.0
        return [("receipts", str(self.receipts)),
                ("with their deal in freee", str(self.in_freee)),
                ("attached to the right deal", str(self.attached_right)),
                ("attached wrongly", str(self.attached_wrong)),
                ("left for review (deal there)", str(self.left_for_review)),
                ("not attached, rightly", str(self.rightly_unattached)),
                ("precision of attach", f"{precision:.3f}"),
                ("recall (of deals there)", f"{self.attached_right / self.in_freee:.3f}")]


def score_month(tally: Tally, data: Month) -> None:
    receipts = [facts for facts, _ in receipt_facts(data.receipts)]
    results = match_receipts(receipts, parse_deals(data.deals),
                             parse_partner_records(data.partners), SETTINGS)
    for result in results:
        truth = data.truth[result.key]
        attachable = truth is not None and result.key not in data.taken
        tally.receipts += 1
        tally.in_freee += attachable
        if result.status == MatchStatus.ATTACHED:
            if attachable and result.deal_id == truth:
                tally.attached_right += 1
            else:
                tally.attached_wrong += 1
                tally.wrong.append(f"{result.key}: {result.deal_id} (truth {truth})")
        elif attachable:
            tally.left_for_review += 1
        else:
            tally.rightly_unattached += 1


def evaluate(name: str) -> Tally:
    tally = Tally()
    for data in split(name):
        score_month(tally, data)
    return tally


def main(argv: list[str]) -> int:
    names = argv or ["tuning", "held_out"]
    tallies = {name: evaluate(name) for name in names}
    print(f"{'':32}" + "".join(f"{n:>12}" for n in names))
    for i, (label, _) in enumerate(tallies[names[0]].rows()):
        print(f"{label:32}" + "".join(f"{tallies[n].rows()[i][1]:>12}" for n in names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
