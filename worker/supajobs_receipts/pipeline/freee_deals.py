"""Optional (SUPAJOBS_FREEE_CREATE_DEALS): create the expense deal for a receipt that no
deal and no waiting feed line matched, once the matching window has passed (a card line
may still arrive until then). The deal is unsettled (未決済): its payment is the user's to
book; the CSV export stays for users without a bank feed."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from supajobs_receipts.freee import FreeeClient, FreeeRequestError
from supajobs_receipts.pipeline.freee_api import FreeeLedger, WorkRow
from supajobs_receipts.pipeline.freee_settings import FreeeSettings
from supajobs_receipts.pipeline.freee_upload import TOKYO


def deal_params(settings: FreeeSettings, row: WorkRow, freee_id: int) -> dict[str, Any]:
    """`dealCreateParams`: one expense line for the receipt's total, the file attached."""
    assert row.receipt_date is not None and row.total is not None
    line: dict[str, Any] = {"account_item_id": settings.deal_account_item_id,
                            "tax_code": settings.deal_tax_code, "amount": row.total}
    if row.vendor:
        line["description"] = row.vendor[:250]
    return {"issue_date": row.receipt_date.isoformat(), "type": "expense", "details": [line],
            "receipt_ids": [freee_id]}


async def create_deal_for(client: FreeeClient, ledger: FreeeLedger, settings: FreeeSettings,
                          row: WorkRow, freee_id: int, summary: dict[str, Any]) -> bool:
    """True when a deal was created (and the receipt recorded as attached to it)."""
    if not settings.create_deals or row.receipt_date is None or row.total is None:
        return False
    if row.receipt_date + dt.timedelta(days=settings.days_after) >= dt.datetime.now(TOKYO).date():
        return False  # the feed may still bring the deal
    try:
        made = await asyncio.to_thread(client.create_deal, deal_params(settings, row, freee_id))
    except FreeeRequestError as exc:
        summary["errors"].append({"receipt_id": str(row.receipt_id), "error": str(exc)})
        return False
    await ledger.mark_attached(row.receipt_id, made.id)
    summary.setdefault("created_deals", []).append({"receipt_id": str(row.receipt_id),
                                                    "deal_id": made.id})
    return True
