"""How well one expense deal fits one receipt: a score in 0…1, or None when it cannot be it.

A deal can be the receipt only with the same amount (or up to the tolerance more: fees)
and a date in the window. Then amount (0.4), date closeness (0.25) and name (0.35) add up.
The name is the partner's (name, 正式名称, shortcuts) or a line's description (card feeds put
the shop there); a registration number equal to the partner's counts as the same name. A
deal with no name at all, a receipt whose vendor was not read, or names in different scripts
(kanji on the receipt, katakana or romaji on the card line) are neutral (half the name's
weight): a unique amount on the right day is still good evidence, a different name is not.
"""

from __future__ import annotations

from collections.abc import Mapping

from supajobs_receipts.matching.freee_shapes import Deal, Partner
from supajobs_receipts.matching.model import MatchSettings, ReceiptFacts
from supajobs_receipts.matching.names import best_similarity

AMOUNT, DATE, NAME = 0.4, 0.25, 0.35
UNKNOWN_NAME = 0.5


def deal_names(deal: Deal, partners: Mapping[int, Partner]) -> list[str]:
    names = [d.description for d in deal.details if d.description]
    partner = partners.get(deal.partner_id) if deal.partner_id is not None else None
    return names + (partner.names if partner is not None else [])


def name_fit(receipt: ReceiptFacts, deal: Deal, partners: Mapping[int, Partner]) -> float:
    partner = partners.get(deal.partner_id) if deal.partner_id is not None else None
    if (partner is not None and receipt.invoice_number
            and partner.invoice_registration_number == receipt.invoice_number):
        return 1.0
    best = best_similarity(receipt.vendor, deal_names(deal, partners))
    return UNKNOWN_NAME if best is None else best


def score(receipt: ReceiptFacts, deal: Deal, partners: Mapping[int, Partner],
          settings: MatchSettings) -> float | None:
    if deal.type != "expense" or receipt.total is None or receipt.date is None:
        return None
    off_by = deal.amount - receipt.total  # fees add to a card line; nothing takes away
    if not 0 <= off_by <= settings.amount_tolerance_yen:
        return None
    days = (deal.issue_date - receipt.date).days
    if not -settings.days_before <= days <= settings.days_after:
        return None
    amount = 1.0 if off_by == 0 else 1.0 - 0.5 * off_by / settings.amount_tolerance_yen
    window = settings.days_after if days >= 0 else settings.days_before
    closeness = 1.0 - abs(days) / (window + 1)
    return round(AMOUNT * amount + DATE * closeness + NAME * name_fit(receipt, deal, partners), 4)
