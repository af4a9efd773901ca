"""From scores to decisions: the best one-to-one assignment, attached only where it is clear.

All receipts and deals are matched at once (a maximum-weight assignment per group of receipts
that share candidates), so a coffee bought on Monday and another on Thursday go to Monday's
and Thursday's card lines, even though each fits both. A receipt's deal is attached when
forcing it elsewhere would cost the whole assignment at least `margin` (the decision does not
hang on a near tie), its score is at least `min_score`, and no deal that already has a file
fits it about as well. Everything else waits for a person, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from supajobs_receipts.matching.freee_shapes import Deal, Partner
from supajobs_receipts.matching.groups import Group, best_assignment, groups
from supajobs_receipts.matching.model import MatchResult, MatchSettings, MatchStatus, ReceiptFacts
from supajobs_receipts.matching.scoring import score

Scores = dict[tuple[int, int], float]  # (receipt index, deal id) -> score


def _decide(i: int, receipt: ReceiptFacts, group: Group, scores: Scores, deals: dict[int, Deal],
            keys: Sequence[str], settings: MatchSettings) -> MatchResult:
    mine = sorted(((s, d) for (r, d), s in scores.items() if r == i), key=lambda x: (-x[0], x[1]))
    ids = [d for _, d in mine]
    if receipt.date is None or receipt.total is None:
        return MatchResult(receipt.key, None, 0.0, MatchStatus.NO_MATCH, [],
                           "the receipt's date or total was not read")
    if not mine:
        return MatchResult(receipt.key, None, 0.0, MatchStatus.NO_MATCH, [],
                           f"no expense deal of {receipt.total} yen around {receipt.date}")
    best = mine[0][0]

    def waits(reason: str) -> MatchResult:
        return MatchResult(receipt.key, None, best, MatchStatus.AMBIGUOUS, ids, reason)

    chosen, total = best_assignment(group, scores, settings.min_score, deals)
    assigned = chosen.get(i)
    if assigned is None:
        if deals[mine[0][1]].attached:
            return waits(f"deal {mine[0][1]} already has a receipt attached")
        if best < settings.min_score:
            return waits(f"deal {mine[0][1]} fits only weakly (score {best:.2f})")
        rival = next(r for r, d in chosen.items() if d == mine[0][1])  # it took the deal
        how = "better" if scores[rival, mine[0][1]] - best >= settings.margin else "about as well"
        return waits(f"receipt {keys[rival]} fits deal {mine[0][1]} {how}")
    deal_id = assigned
    mine_score = scores[i, deal_id]
    taken = [d for s, d in mine if deals[d].attached and s > mine_score - settings.margin]
    if taken:
        return waits(f"deal {taken[0]} already has a receipt attached and fits as well")
    alternative, alt_total = best_assignment(group, scores, settings.min_score, deals,
                                             forbid=(i, deal_id))
    if total - alt_total < settings.margin:
        competitor = next((r for r, d in alternative.items() if d == deal_id), None)
        if competitor is not None:
            return waits(f"receipt {keys[competitor]} fits deal {deal_id} about as well")
        other: int | None = alternative.get(i)
        return waits(f"deals {deal_id} and {other} fit about as well" if other is not None
                     else f"deal {deal_id} fits only about as well as none")
    return MatchResult(receipt.key, deal_id, mine_score, MatchStatus.ATTACHED, ids)


def match_receipts(receipts: Sequence[ReceiptFacts], deals: Sequence[Deal],
                   partners: Mapping[int, str | Partner],
                   settings: MatchSettings | None = None) -> list[MatchResult]:
    """One result per receipt, in the receipts' order."""
    settings = settings or MatchSettings()
    people = {pid: p if isinstance(p, Partner) else Partner(id=pid, name=p)
              for pid, p in partners.items()}
    expenses = {d.id: d for d in deals if d.type == "expense"}
    scores: Scores = {(i, d.id): s for i, r in enumerate(receipts) for d in expenses.values()
                      if (s := score(r, d, people, settings)) is not None}
    keys = [r.key for r in receipts]
    by_receipt = {i: g for g in groups(scores) for i in g.receipts}
    empty = Group(frozenset(), frozenset())
    return [_decide(i, r, by_receipt.get(i, empty), scores, expenses, keys, settings)
            for i, r in enumerate(receipts)]
