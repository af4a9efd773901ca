"""`supajobs receipts match RECEIPTS_JSON DEALS_JSON [--partners PARTNERS_JSON] [--json]`.

RECEIPTS_JSON is what `supajobs receipts parse … --json` prints, DEALS_JSON the body of
freee's `GET /deals`, PARTNERS_JSON of `GET /partners`. The same matcher as the freee_sync
job; nothing is sent anywhere. Exit 0 when it ran (whatever was found), 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from supajobs.cli.context import Context
from supajobs.errors import ValidationError
from supajobs_receipts.matching import (
    FreeeShapeError,
    MatchResult,
    MatchSettings,
    MatchStatus,
    match_receipts,
    parse_deals,
    parse_partner_records,
)
from supajobs_receipts.matching.receipts_input import ReceiptsInputError, receipt_facts

COLUMNS = ["file", "status", "deal_id", "score", "candidates", "reason"]


def register_match(sub: Any) -> None:
    match = sub.add_parser("match", help="match parsed receipts to freee deals (offline)")
    match.add_argument("receipts", type=Path, metavar="RECEIPTS_JSON",
                       help="the output of `supajobs receipts parse … --json`")
    match.add_argument("deals", type=Path, metavar="DEALS_JSON", help="freee's GET /deals body")
    match.add_argument("--partners", type=Path, metavar="PARTNERS_JSON",
                       help="freee's GET /partners body (deals name partners by id)")
    match.add_argument("--tolerance", type=int, default=0, metavar="YEN",
                       help="a deal's amount may differ by this much (card fees)")
    match.add_argument("--days-before", type=int, default=3, metavar="N")
    match.add_argument("--days-after", type=int, default=7, metavar="N")
    match.add_argument("--json", dest="json_out", action="store_true")
    match.set_defaults(handler=match_files)


def _load(path: Path, what: str) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationError(f"{path}: cannot read {what}: {exc.strerror}", field=what) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"{path}: {what} is not JSON ({exc})", field=what) from None


def to_record(result: MatchResult) -> dict[str, Any]:
    return {"file": result.key, "deal_id": result.deal_id, "score": round(result.score, 3),
            "status": str(result.status), "candidates": result.candidates,
            "reason": result.reason}


def match_files(args: argparse.Namespace, ctx: Context) -> int:
    try:
        settings = MatchSettings(amount_tolerance_yen=args.tolerance,
                                 days_before=args.days_before, days_after=args.days_after)
        receipts = receipt_facts(_load(args.receipts, "RECEIPTS_JSON"))
        deals = parse_deals(_load(args.deals, "DEALS_JSON"))
        partners = (parse_partner_records(_load(args.partners, "PARTNERS_JSON"))
                    if args.partners else {})
    except (ReceiptsInputError, FreeeShapeError, ValueError) as exc:
        raise ValidationError(str(exc)) from None
    results = match_receipts([facts for facts, _ in receipts], deals, partners, settings)
    records = []
    for (_, error), result in zip(receipts, results, strict=True):
        record = to_record(result)
        if error is not None:  # unreadable: say so rather than "not read"
            record["reason"] = f"unreadable: {error}"
        records.append(record)
    if args.json_out or ctx.as_json:
        print(json.dumps(records, ensure_ascii=False, indent=2), file=ctx.out)
    else:
        ctx.emit(records, COLUMNS)
        counts = {s.value: sum(r["status"] == s.value for r in records) for s in MatchStatus}
        ctx.note(", ".join(f"{n} {s}" for s, n in counts.items()))
    return 0
