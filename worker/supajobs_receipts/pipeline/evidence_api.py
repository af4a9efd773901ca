"""The receipts as evidence, over the SDK client: search (可視性), corrections and
deletions that keep the history (真実性), the history itself, duplicate decisions, copies.

    api = EvidenceApi(AsyncJobsClient.from_env())
    rows = await api.search(date_from=date(2026, 1, 1), amount_min=10000, vendor="JR")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

from supajobs.client import AsyncJobsClient
from supajobs_receipts.evidence import HistoryRow
from supajobs_receipts.pipeline import receipts_rpc as _registered  # noqa: F401 (allow-list)
from supajobs_receipts.pipeline.receipt_rows import (
    CopyRow,
    DecisionRow,
    PendingDuplicate,
    ReceiptRow,
)

HISTORY_PAGE = 1000
CORRECTABLE = ("date", "total", "tax", "tax_rate", "vendor", "invoice_number", "category")


class EvidenceApi:
    def __init__(self, client: AsyncJobsClient) -> None:
        self.client = client

    async def search(self, *, date_from: dt.date | None = None, date_to: dt.date | None = None,
                     amount_min: int | None = None, amount_max: int | None = None,
                     vendor: str | None = None, include_duplicates: bool = False,
                     include_deleted: bool = False, max_rows: int = 1000) -> list[ReceiptRow]:
        """Receipts matching every key given; dates and amounts inclusive, vendor "contains"
        (width, case and spaces ignored). Sorted by date, undated last."""
        keys = {"date_from": date_from, "date_to": date_to, "amount_min": amount_min,
                "amount_max": amount_max, "vendor": vendor}
        args: dict[str, Any] = {k: v for k, v in keys.items() if v is not None}
        args.update(include_duplicates=include_duplicates, include_deleted=include_deleted,
                    max_rows=max_rows)
        return await self.client.call_many("search_receipts", args, ReceiptRow)

    async def correct(self, receipt_id: str, fields: dict[str, Any], *, changed_by: str,
                      reason: str) -> ReceiptRow:
        return await self.client.call_one("correct_receipt", {
            "receipt_id": receipt_id, "fields": fields, "changed_by": changed_by,
            "reason": reason}, ReceiptRow)

    async def delete(self, receipt_id: str, *, changed_by: str, reason: str) -> ReceiptRow:
        """Record the receipt as deleted; its file and every version stay."""
        return await self.client.call_one("delete_receipt", {
            "receipt_id": receipt_id, "changed_by": changed_by, "reason": reason}, ReceiptRow)

    async def history(self, receipt_id: str) -> list[HistoryRow]:
        return [r async for r in self.iter_history(receipt_id=receipt_id)]

    async def iter_history(self, *, receipt_id: str | None = None) -> AsyncIterator[HistoryRow]:
        """The whole chain in order, a page at a time."""
        after = 0
        while True:
            args: dict[str, Any] = {"after_seq": after, "max_rows": HISTORY_PAGE}
            if receipt_id is not None:
                args["receipt_id"] = receipt_id
            page = await self.client.call_many("receipt_history", args, HistoryRow)
            for row in page:
                yield row
            if len(page) < HISTORY_PAGE:
                return
            after = page[-1].seq

    async def copies(self, receipt_id: str | None = None) -> list[CopyRow]:
        args = {} if receipt_id is None else {"receipt_id": receipt_id}
        return await self.client.call_many("list_copies", args, CopyRow)

    async def pending_duplicates(self) -> list[PendingDuplicate]:
        return await self.client.call_many("pending_duplicates", {}, PendingDuplicate)

    async def decide_duplicate(self, suggestion_id: int, decision: str, *, decided_by: str,
                               note: str | None = None) -> DecisionRow:
        args: dict[str, Any] = {"suggestion_id": suggestion_id, "decision": decision,
                                "decided_by": decided_by}
        if note is not None:
            args["note"] = note
        return await self.client.call_one("decide_duplicate", args, DecisionRow)
