"""`supajobs receipts correct ID --total N … --reason R` and `… delete ID --reason R`.

Both write a new version with who and why; the earlier versions stay (電子帳簿保存法:
corrections and deletions leave a record). Nothing is changed in place.
"""

from __future__ import annotations

import argparse
from typing import Any

from supajobs.cli.context import Context
from supajobs.client import AsyncJobsClient
from supajobs.errors import ValidationError
from supajobs_receipts.pipeline.cli_session import actor, parse_day, run_with_client
from supajobs_receipts.pipeline.evidence_api import EvidenceApi
from supajobs_receipts.pipeline.receipt_rows import RECEIPT_COLUMNS as COLUMNS
from supajobs_receipts.pipeline.receipt_rows import ReceiptRow


def _who(parser: Any) -> None:
    parser.add_argument("--by", help="who makes the change (default: $SUPAJOBS_ACTOR or "
                        "cli:<login>)")
    parser.add_argument("--reason", required=True, help="why (kept in the history)")


def register_corrections(sub: Any) -> None:
    correct = sub.add_parser("correct", help="correct a receipt's fields (a new version)")
    correct.add_argument("receipt_id", metavar="ID")
    correct.add_argument("--date", type=parse_day, metavar="YYYY-MM-DD")
    correct.add_argument("--total", type=int, metavar="YEN")
    correct.add_argument("--tax", type=int, metavar="YEN")
    correct.add_argument("--tax-rate", type=int, choices=(8, 10))
    correct.add_argument("--vendor")
    correct.add_argument("--invoice-number", metavar="T0000000000000")
    correct.add_argument("--category")
    _who(correct)
    correct.set_defaults(handler=correct_receipt)
    delete = sub.add_parser("delete", help="record a receipt as deleted (file and history stay)")
    delete.add_argument("receipt_id", metavar="ID")
    _who(delete)
    delete.set_defaults(handler=delete_receipt)


def correction_fields(args: argparse.Namespace) -> dict[str, Any]:
    given = {"date": args.date and args.date.isoformat(), "total": args.total, "tax": args.tax,
             "tax_rate": args.tax_rate, "vendor": args.vendor,
             "invoice_number": args.invoice_number, "category": args.category}
    fields = {k: v for k, v in given.items() if v is not None}
    if not fields:
        raise ValidationError("say what to correct: --date, --total, --tax, --tax-rate, "
                              "--vendor, --invoice-number or --category", field="fields")
    return fields


def correct_receipt(args: argparse.Namespace, ctx: Context) -> int:
    fields = correction_fields(args)
    by = actor(args.by)

    async def work(client: AsyncJobsClient) -> ReceiptRow:
        return await EvidenceApi(client).correct(args.receipt_id, fields, changed_by=by,
                                                 reason=args.reason)

    row = run_with_client(ctx, work)
    ctx.emit(row, ["version", *COLUMNS])
    return 0


def delete_receipt(args: argparse.Namespace, ctx: Context) -> int:
    by = actor(args.by)

    async def work(client: AsyncJobsClient) -> ReceiptRow:
        return await EvidenceApi(client).delete(args.receipt_id, changed_by=by,
                                                reason=args.reason)

    row = run_with_client(ctx, work)
    ctx.emit(row, ["version", *COLUMNS])
    ctx.note(f"receipt {row.id} is recorded as deleted (version {row.version}); its file "
             "and earlier versions are kept")
    return 0
