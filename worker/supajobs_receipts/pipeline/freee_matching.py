"""The matching step of freee_sync: the batch's window of expense deals (and partners)
read once, the matcher (supajobs_receipts.matching, the same code as `supajobs receipts
match`) decides, a clear best is attached, everything else goes to the review list.

A receipt no deal matched may still have its card or bank line waiting in freee's
自動で経理 (a wallet transaction not yet registered): the review list says so, and with
SUPAJOBS_FREEE_CREATE_DEALS the deal is created once the window has passed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from supajobs_receipts.freee import FreeeClient
from supajobs_receipts.freee.wallet import WalletTxn
from supajobs_receipts.matching import (
    FreeeShapeError,
    MatchSettings,
    MatchStatus,
    ReceiptFacts,
    match_receipts,
    parse_deals,
    parse_partner_records,
)
from supajobs_receipts.pipeline.freee_api import FreeeLedger, WorkRow
from supajobs_receipts.pipeline.freee_attach_step import attach_one
from supajobs_receipts.pipeline.freee_deals import create_deal_for
from supajobs_receipts.pipeline.freee_settings import FreeeSettings
from supajobs_worker.registry import NonRetryableError


def _window(rows: list[tuple[WorkRow, int]], settings: FreeeSettings) -> tuple[dt.date, dt.date]:
    dates = [row.receipt_date for row, _ in rows if row.receipt_date is not None]
    return (min(dates) - dt.timedelta(days=settings.days_before),
            max(dates) + dt.timedelta(days=settings.days_after))


def _waiting_line(row: WorkRow, txns: list[WalletTxn], settings: FreeeSettings) -> WalletTxn | None:
    for txn in txns:
        day = dt.date.fromisoformat(txn.date)
        if (row.total is not None and row.receipt_date is not None
                and abs(txn.amount - row.total) <= settings.amount_tolerance_yen
                and -settings.days_before <= (day - row.receipt_date).days <= settings.days_after):
            return txn
    return None


async def _review(ledger: FreeeLedger, row: WorkRow, status: str, score: float | None,
                  candidates: list[int], note: str | None, summary: dict[str, Any]) -> None:
    await ledger.record_match(row.receipt_id, status, score, candidates, note)
    summary["review"].append({"receipt_id": str(row.receipt_id), "status": status,
                              "candidates": candidates, **({"note": note} if note else {})})


async def match_and_attach(client: FreeeClient, ledger: FreeeLedger, settings: FreeeSettings,
                           pending: list[tuple[WorkRow, int]], summary: dict[str, Any]) -> None:
    unreadable = [(r, f) for r, f in pending if r.receipt_date is None or r.total is None]
    for row, _ in unreadable:
        await _review(ledger, row, "no_match", None, [],
                      "the receipt's date or amount is unread: correct it, then it is matched",
                      summary)
    rows = [(r, f) for r, f in pending if (r, f) not in unreadable]
    if not rows:
        return
    start, end = _window(rows, settings)
    deals_body = await asyncio.to_thread(client.list_expense_deals, start, end)
    partners_body = await asyncio.to_thread(client.list_partners)
    try:
        deals, partners = parse_deals(deals_body), parse_partner_records(partners_body)
    except FreeeShapeError as exc:
        raise NonRetryableError(f"freee answered deals or partners in an unknown shape: {exc}") \
            from None
    facts = [ReceiptFacts(key=str(r.receipt_id), date=r.receipt_date, total=r.total,
                          vendor=r.vendor, invoice_number=r.invoice_number) for r, _ in rows]
    results = match_receipts(facts, deals, partners, MatchSettings(
        amount_tolerance_yen=settings.amount_tolerance_yen, days_before=settings.days_before,
        days_after=settings.days_after))
    txns: list[WalletTxn] | None = None
    for (row, freee_id), result in zip(rows, results, strict=True):
        if result.status == MatchStatus.ATTACHED and result.deal_id is not None:
            await attach_one(client, ledger, row, result.deal_id, freee_id, summary,
                             result.score)
            continue
        note = None
        if result.status == MatchStatus.NO_MATCH:
            if txns is None:  # one call, and only when something matched nothing
                txns = await asyncio.to_thread(client.list_wallet_txns, start, end)
            line = _waiting_line(row, txns, settings)
            if line is not None:
                note = (f"no deal yet, but a {line.walletable_type} line of {line.amount} yen on "
                        f"{line.date} waits in 自動で経理 (wallet_txn {line.id})")
            elif await create_deal_for(client, ledger, settings, row, freee_id, summary):
                continue
        await _review(ledger, row, str(result.status), result.score,
                      list(result.candidates), note, summary)
