"""Receipts matched to freee's expense deals: pure code (no HTTP, no database), shared by the
freee_sync job and `supajobs receipts match` (docs/freee.md, "Matching receipts to deals")."""

from supajobs_receipts.matching.assign import match_receipts
from supajobs_receipts.matching.freee_shapes import (
    Deal,
    FreeeShapeError,
    Partner,
    parse_deals,
    parse_partner_records,
    parse_partners,
)
from supajobs_receipts.matching.model import MatchResult, MatchSettings, MatchStatus, ReceiptFacts

__all__ = ["Deal", "FreeeShapeError", "MatchResult", "MatchSettings", "MatchStatus", "Partner",
           "ReceiptFacts", "match_receipts", "parse_deals", "parse_partner_records",
           "parse_partners"]
