"""From scores to decisions: attach only a clear best, one receipt per deal, never guess.

A receipt's best deal is attached when it scores at least `min_score`, leads the next
candidate by `margin`, has no file attached yet, and no other receipt fits that deal about
as well (two coffees of the same price, one card line). A receipt whose best deal goes to a
better-fitting receipt is not moved to its second choice: it waits for a person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from supajobs_receipts.matching.freee_shapes import Deal, Partner
from supajobs_receipts.matching.model import MatchResult, MatchSettings, MatchStatus, ReceiptFacts
from supajobs_receipts.matching.scoring import score

Ranked = list[tuple[float, Deal]]


def _ranked(receipt: ReceiptFacts, deals: Sequence[Deal], partners: Mapping[int, Partner],
            settings: MatchSettings) -> Ranked:
    scored = [(s, d) for d in deals
              if (s := score(receipt, d, partners, settings)) is not None]
    return sorted(scored, key=lambda sd: (-sd[0], sd[1].id))


def _first_look(receipt: ReceiptFacts, ranked: Ranked, settings: MatchSettings
                ) -> MatchResult:
    ids = [d.id for _, d in ranked]
    if receipt.date is None or receipt.total is None:
        return MatchResult(receipt.key, None, 0.0, MatchStatus.NO_MATCH, [],
                           "the receipt's date or total was not read")
    if not ranked:
        return MatchResult(receipt.key, None, 0.0, MatchStatus.NO_MATCH, [],
                           f"no expense deal of {receipt.total} yen around {receipt.date}")
    best, deal = ranked[0]
    reason = None
    if deal.attached:
        reason = f"deal {deal.id} already has a receipt attached"
    elif best < settings.min_score:
        reason = f"deal {deal.id} fits only weakly (score {best:.2f})"
    elif len(ranked) > 1 and best - ranked[1][0] < settings.margin:
        reason = f"deals {deal.id} and {ranked[1][1].id} fit about as well"
    if reason is not None:
        return MatchResult(receipt.key, None, best, MatchStatus.AMBIGUOUS, ids, reason)
    return MatchResult(receipt.key, deal.id, best, MatchStatus.ATTACHED, ids)


def _contested(results: list[MatchResult], fits: list[dict[int, float]],
               settings: MatchSettings) -> list[MatchResult]:
    """Withdraw attachments whose deal another receipt fits about as well."""
    settled = list(results)
    for i, result in enumerate(results):
        if result.status != MatchStatus.ATTACHED or result.deal_id is None:
            continue
        rivals = [(fits[j][result.deal_id], j) for j in range(len(results))
                  if j != i and result.deal_id in fits[j]]
        close = [j for s, j in rivals if result.score - s < settings.margin]
        if close:
            other = results[close[0]].key
            settled[i] = MatchResult(result.key, None, result.score, MatchStatus.AMBIGUOUS,
                                     result.candidates, f"receipt {other} fits deal "
                                     f"{result.deal_id} about as well")
    return settled


def match_receipts(receipts: Sequence[ReceiptFacts], deals: Sequence[Deal],
                   partners: Mapping[int, str | Partner],
                   settings: MatchSettings | None = None) -> list[MatchResult]:
    """One result per receipt, in the receipts' order."""
    settings = settings or MatchSettings()
    people = {pid: p if isinstance(p, Partner) else Partner(id=pid, name=p)
              for pid, p in partners.items()}
    expenses = [d for d in deals if d.type == "expense"]
    ranked = [_ranked(r, expenses, people, settings) for r in receipts]
    fits = [{d.id: s for s, d in rank} for rank in ranked]
    first = [_first_look(r, rank, settings) for r, rank in zip(receipts, ranked, strict=True)]
    return _contested(first, fits, settings)
