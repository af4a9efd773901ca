"""`supajobs receipts duplicates` (the suggestions waiting for a person), `… confirm ID` and
`… reject ID`. Confirming marks the receipt a duplicate of the one kept; its file stays."""

from __future__ import annotations

import argparse
from typing import Any

from supajobs.cli.context import Context
from supajobs.client import AsyncJobsClient
from supajobs_receipts.pipeline.cli_session import actor, run_with_client
from supajobs_receipts.pipeline.evidence_api import EvidenceApi
from supajobs_receipts.pipeline.receipt_rows import DecisionRow

COLUMNS = ["suggestion_id", "reason", "receipt_date", "total", "vendor", "original_name",
           "kept_original_name", "receipt_id", "duplicate_of"]


def register_duplicates(sub: Any) -> None:
    dup = sub.add_parser("duplicates", help="suspected duplicates: list, confirm, reject")
    dup.set_defaults(handler=list_pending, decision=None)
    actions = dup.add_subparsers(dest="decision_action", metavar="ACTION")
    for name, decision in (("confirm", "confirmed"), ("reject", "rejected")):
        act = actions.add_parser(name, help=f"{name} a suggestion (recorded with who and why)")
        act.add_argument("suggestion_id", type=int, metavar="SUGGESTION_ID")
        act.add_argument("--by", help="who decides (default: $SUPAJOBS_ACTOR or cli:<login>)")
        act.add_argument("--note", help="why (kept with the decision)")
        act.set_defaults(handler=decide, decision=decision)


def list_pending(args: argparse.Namespace, ctx: Context) -> int:
    async def work(client: AsyncJobsClient) -> list[Any]:
        return await EvidenceApi(client).pending_duplicates()

    pending = run_with_client(ctx, work)
    ctx.emit(pending, COLUMNS)
    return 0


def decide(args: argparse.Namespace, ctx: Context) -> int:
    by = actor(args.by)

    async def work(client: AsyncJobsClient) -> DecisionRow:
        return await EvidenceApi(client).decide_duplicate(
            args.suggestion_id, args.decision, decided_by=by, note=args.note)

    made = run_with_client(ctx, work)
    ctx.emit(made, ["suggestion_id", "decision", "decided_by", "decided_at", "note"])
    return 0
