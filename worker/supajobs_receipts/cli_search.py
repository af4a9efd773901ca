"""`supajobs receipts search --from --to --min --max --vendor` and `… show ID`."""

from __future__ import annotations

import argparse
from typing import Any

from supajobs.cli.context import Context
from supajobs.client import AsyncJobsClient
from supajobs_receipts.pipeline.cli_session import parse_day, run_with_client
from supajobs_receipts.pipeline.evidence_api import EvidenceApi
from supajobs_receipts.pipeline.receipt_rows import RECEIPT_COLUMNS
from supajobs_receipts.pipeline.receipts_api import ReceiptsApi

COLUMNS = RECEIPT_COLUMNS
HISTORY_COLUMNS = ["version", "changed_at", "changed_by", "change_reason", "status",
                   "receipt_date", "total", "vendor", "stored_path"]


def register_search(sub: Any) -> None:
    search = sub.add_parser("search", help="receipts by date, amount and vendor (any combination)")
    search.add_argument("--from", dest="date_from", type=parse_day, metavar="YYYY-MM-DD",
                        help="取引年月日 on or after")
    search.add_argument("--to", dest="date_to", type=parse_day, metavar="YYYY-MM-DD",
                        help="取引年月日 on or before")
    search.add_argument("--min", dest="amount_min", type=int, metavar="YEN",
                        help="取引金額 (total) at least")
    search.add_argument("--max", dest="amount_max", type=int, metavar="YEN",
                        help="取引金額 (total) at most")
    search.add_argument("--vendor", help="取引先 containing this (width, case, spaces ignored)")
    search.add_argument("--include-duplicates", action="store_true")
    search.add_argument("--include-deleted", action="store_true")
    search.add_argument("--limit", type=int, default=1000, help="at most this many (≤ 10000)")
    search.set_defaults(handler=search_receipts)
    show = sub.add_parser("show", help="one receipt: its current fields, history and copies")
    show.add_argument("receipt_id", metavar="ID")
    show.set_defaults(handler=show_receipt)


def search_receipts(args: argparse.Namespace, ctx: Context) -> int:
    async def work(client: AsyncJobsClient) -> list[Any]:
        return await EvidenceApi(client).search(
            date_from=args.date_from, date_to=args.date_to, amount_min=args.amount_min,
            amount_max=args.amount_max, vendor=args.vendor,
            include_duplicates=args.include_duplicates, include_deleted=args.include_deleted,
            max_rows=args.limit)

    found = run_with_client(ctx, work)
    ctx.emit(found, COLUMNS)
    if not ctx.as_json:
        ctx.note(f"{len(found)} receipt(s)" + (" (the limit; narrow the search)"
                                                if len(found) == args.limit else ""))
    return 0


def show_receipt(args: argparse.Namespace, ctx: Context) -> int:
    async def work(client: AsyncJobsClient) -> dict[str, Any]:
        row = await ReceiptsApi(client).get(args.receipt_id)
        api = EvidenceApi(client)
        return {"receipt": row, "history": await api.history(args.receipt_id),
                "copies": await api.copies(args.receipt_id)}

    shown = run_with_client(ctx, work)
    if ctx.as_json:
        ctx.emit({k: [v.model_dump(mode="json") for v in vals] if isinstance(vals, list)
                  else vals.model_dump(mode="json") for k, vals in shown.items()}, [])
        return 0
    ctx.emit(shown["receipt"], COLUMNS)
    ctx.note("\nhistory:")
    ctx.emit(shown["history"], HISTORY_COLUMNS)
    ctx.note(f"\ncopies: {len(shown['copies'])}")
    if shown["copies"]:
        ctx.emit(shown["copies"], ["received_at", "source", "message_id", "original_name"])
    return 0
