"""`supajobs receipts export --from --to OUT.zip` (ダウンロードの求め: the originals of a
period with an index and their history), checked against the store once written; and
`supajobs receipts check-export ZIP` to check one later."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from supajobs.cli.context import Context
from supajobs.client import AsyncJobsClient
from supajobs.errors import SupajobsError, ValidationError
from supajobs_receipts.evidence import HistoryRow
from supajobs_receipts.evidence.export import ExportError, write_export
from supajobs_receipts.evidence.export_check import check_export
from supajobs_receipts.evidence.period import Period, in_period
from supajobs_receipts.pipeline.cli_session import parse_day, run_with_client
from supajobs_receipts.pipeline.evidence_api import EvidenceApi
from supajobs_receipts.pipeline.evidence_read import store_for


def register_export(sub: Any) -> None:
    export = sub.add_parser("export", help="a period's originals, index and history as a zip")
    export.add_argument("--from", dest="date_from", type=parse_day, required=True)
    export.add_argument("--to", dest="date_to", type=parse_day, required=True)
    export.add_argument("out", type=Path, metavar="OUT.zip")
    export.add_argument("--store", type=Path, default=None,
                        help="store directory (default: the pipeline's store)")
    export.set_defaults(handler=export_period)
    check = sub.add_parser("check-export", help="check an export against the store")
    check.add_argument("zip", type=Path, metavar="ZIP")
    check.add_argument("--store", type=Path, default=None)
    check.set_defaults(handler=check_zip)


def _period(args: argparse.Namespace) -> Period:
    try:
        return Period(args.date_from, args.date_to)
    except ValueError as exc:
        raise ValidationError(str(exc), field="period") from None


async def _receipts(client: AsyncJobsClient, period: Period) -> list[list[HistoryRow]]:
    return in_period([r async for r in EvidenceApi(client).iter_history()], period)


def export_period(args: argparse.Namespace, ctx: Context) -> int:
    period = _period(args)
    if args.out.suffix.lower() != ".zip":
        raise ValidationError(f"{args.out}: the export is a .zip file", field="OUT.zip")
    store = store_for(args.store)
    receipts = run_with_client(ctx, lambda client: _receipts(client, period))
    if not receipts:
        raise SupajobsError(f"no receipts from {period.start} to {period.end}; nothing was "
                            "written")
    try:
        manifest = write_export(receipts, store, period, args.out)
    except ExportError as exc:
        raise SupajobsError(f"{exc}; nothing was written") from None
    problems = check_export(args.out, store, {rows[-1].receipt_id for rows in receipts})
    summary = {"export": str(args.out), "from": period.start.isoformat(),
               "to": period.end.isoformat(), "receipts": manifest.receipts,
               "versions": manifest.versions, "checked": not problems, "problems": problems}
    ctx.emit(summary, ["export", "from", "to", "receipts", "versions", "checked"])
    for line in problems:
        ctx.note(f"PROBLEM  {line}")
    return 1 if problems else 0


def check_zip(args: argparse.Namespace, ctx: Context) -> int:
    if not args.zip.is_file():
        raise ValidationError(f"{args.zip}: no such file", field="ZIP")
    problems = check_export(args.zip, store_for(args.store))
    ctx.emit({"export": str(args.zip), "ok": not problems, "problems": problems},
             ["export", "ok"])
    for line in problems:
        ctx.note(f"PROBLEM  {line}")
    return 1 if problems else 0
