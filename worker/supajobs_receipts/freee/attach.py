"""Attach a File Box file to a deal through PUT /deals/{id}, which replaces the deal's
lines and files with what it is sent: so the deal is read again first, sent back exactly
as read plus the one file, and the answer is checked to differ in nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from supajobs_receipts.freee.client import FreeeClient
from supajobs_receipts.freee.errors import FreeeRequestError, FreeeUnchangedError
from supajobs_receipts.freee.models import FreeeDeal


@dataclass(frozen=True)
class AttachOutcome:
    deal_id: int
    receipt_id: int
    action: Literal["attached", "already_attached"]
    receipt_ids: list[int]


def _comparable(deal: FreeeDeal) -> dict[str, Any]:
    return deal.model_dump(exclude={"receipts"})


def attach_receipt(client: FreeeClient, deal_id: int, receipt_id: int) -> AttachOutcome:
    """One GET and (unless the file is there already) one PUT."""
    before = client.get_deal(deal_id)
    if before.type != "expense":
        raise FreeeRequestError(f"deal {deal_id} is an income deal: receipts of expenses are "
                                "never attached to it")
    existing = before.receipt_ids()
    if receipt_id in existing:
        return AttachOutcome(deal_id, receipt_id, "already_attached", existing)
    wanted = [*existing, receipt_id]
    after = client.update_deal(deal_id, before.update_params(wanted))
    problems = []
    if sorted(after.receipt_ids()) != sorted(wanted):
        problems.append(f"files {after.receipt_ids()} instead of {wanted}")
    was, now = _comparable(before), _comparable(after)
    problems += [f"{key}: {was.get(key)!r} → {now.get(key)!r}"
                 for key in sorted(set(was) | set(now)) if was.get(key) != now.get(key)]
    if problems:
        raise FreeeUnchangedError(f"deal {deal_id} changed beyond its files after attaching "
                                  f"File Box file {receipt_id}: " + "; ".join(problems))
    return AttachOutcome(deal_id, receipt_id, "attached", wanted)
