"""The freee review list's decision body, checked before any call: a bad one is a 400 that
names the problem and changes nothing.

    {"decision": "confirm", "deal_id": N, "note": "..."}    attach the receipt to deal N
    {"decision": "reject" | "not_in_freee", "note": "..."}  the receipt has no deal in freee

Any positive deal id is accepted, as by receipts.freee_decide_match and `supajobs receipts
freee confirm`: a person may know the deal the matcher did not offer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from supajobs_receipts.dashboard.params import note
from supajobs_worker.dashboard.extension import BadRequestError

BIGINT = 2**63 - 1
DECISIONS = {"confirm": "confirm", "reject": "reject", "not_in_freee": "reject"}
FIELDS = {"decision", "deal_id", "note"}


@dataclass(frozen=True)
class FreeeDecision:
    decision: str  # as freee_decide_match takes it: confirm or reject
    deal_id: int | None
    note: str | None


def _deal_id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= BIGINT:
        raise BadRequestError(f"deal_id must be a freee deal id (a whole number from 1), "
                              f"got {value!r}")
    return value


def freee_decision(body: Mapping[str, Any]) -> FreeeDecision:
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise BadRequestError(f"unknown field {unknown[0]!r} (known: {', '.join(sorted(FIELDS))})")
    given = body.get("decision")
    if not isinstance(given, str) or given not in DECISIONS:
        raise BadRequestError("decision must be 'confirm', 'reject' or 'not_in_freee', "
                              f"got {given!r}")
    made = DECISIONS[given]
    if made == "confirm":
        if body.get("deal_id") is None:
            raise BadRequestError("confirm needs deal_id: the freee deal to attach the "
                                  "receipt to")
        return FreeeDecision(made, _deal_id(body["deal_id"]), note(body))
    if body.get("deal_id") is not None:
        raise BadRequestError(f"{given} takes no deal_id (it says the receipt has no deal "
                              "in freee)")
    return FreeeDecision(made, None, note(body))
