"""`supajobs receipts freee review|confirm|reject|status`: the receipts no rule could place
on a freee deal, a person's decision on each, and what has reached freee so far.

confirm records the deal and enqueues a freee_sync that only attaches
(pipeline/freee_review.py, the same code as the dashboard's review list).
"""

from __future__ import annotations

import argparse
from typing import Any

from supajobs.cli.context import Context
from supajobs.client import AsyncJobsClient
from supajobs_receipts.pipeline.cli_session import actor, run_with_client
from supajobs_receipts.pipeline.freee_api import freee_status, pending_matches
from supajobs_receipts.pipeline.freee_review import decide_and_queue

REVIEW_COLUMNS = ["receipt_id", "status", "candidates", "receipt_date", "total", "vendor",
                  "original_name", "last_error"]
DECIDED_COLUMNS = ["receipt_id", "status", "deal_id", "decided_by", "note", "attach_job"]


def register_freee(sub: Any) -> None:
    freee = sub.add_parser("freee", help="freee: the review list, confirm, reject, status")
    actions = freee.add_subparsers(dest="freee_action", metavar="ACTION", required=True)
    actions.add_parser("review", help="receipts waiting for a person (ambiguous, no match)"
                       ).set_defaults(handler=review)
    actions.add_parser("status", help="uploads and matches so far, per company"
                       ).set_defaults(handler=status)
    confirm = actions.add_parser("confirm", help="attach a receipt to this freee deal")
    confirm.add_argument("receipt_id", metavar="RECEIPT_ID")
    confirm.add_argument("deal_id", type=int, metavar="DEAL_ID")
    reject = actions.add_parser("reject", help="the receipt has no deal in freee")
    reject.add_argument("receipt_id", metavar="RECEIPT_ID")
    for act, decision in ((confirm, "confirm"), (reject, "reject")):
        act.add_argument("--by", help="who decides (default: $SUPAJOBS_ACTOR or cli:<login>)")
        act.add_argument("--note", help="why (kept with the decision)")
        act.set_defaults(handler=decide, decision=decision)


def review(args: argparse.Namespace, ctx: Context) -> int:
    async def work(client: AsyncJobsClient) -> list[Any]:
        return await pending_matches(client)

    ctx.emit(run_with_client(ctx, work), REVIEW_COLUMNS)
    return 0


def status(args: argparse.Namespace, ctx: Context) -> int:
    async def work(client: AsyncJobsClient) -> list[Any]:
        return await freee_status(client)

    ctx.emit(run_with_client(ctx, work), ["company_id", "kind", "state", "receipts"])
    return 0


def decide(args: argparse.Namespace, ctx: Context) -> int:
    by = actor(args.by)

    async def work(client: AsyncJobsClient) -> dict[str, Any]:
        return await decide_and_queue(client, args.receipt_id, args.decision, by,
                                      getattr(args, "deal_id", None), args.note)

    ctx.emit(run_with_client(ctx, work), DECIDED_COLUMNS)
    return 0
