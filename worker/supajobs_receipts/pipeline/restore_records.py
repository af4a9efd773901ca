"""Putting restored receipts back in the database, through the same RPCs the jobs use.

A receipt whose bytes are already known (same sha256) is left as the database has it;
a missing one is saved, given its fields back and, if it was filed, its filed path.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from supajobs.cli.context import Context
from supajobs.client import AsyncJobsClient
from supajobs_receipts.organize import ReceiptRecord
from supajobs_receipts.pipeline.receipts_api import ReceiptsApi
from supajobs_receipts.storage.base import BLOB_PREFIX

RESTORED = "restored from a backup"


def client_for(ctx: Context) -> AsyncJobsClient:
    """An async client configured like the CLI's own (--db-url, --supabase-url, env)."""
    env = dict(os.environ)
    if ctx.db_url:
        env = {"SUPAJOBS_DATABASE_URL": ctx.db_url, "SUPAJOBS_DB_ROLE": env.get(
            "SUPAJOBS_DB_ROLE", "")}
    elif ctx.supabase_url:
        env["SUPABASE_URL"] = ctx.supabase_url
    return AsyncJobsClient.from_env(env)


def fields_of(record: ReceiptRecord) -> dict[str, Any]:
    return {"date": record.date.isoformat() if record.date else None, "total": record.total,
            "tax": record.tax, "tax_rate": record.tax_rate, "vendor": record.vendor,
            "invoice_number": record.invoice_number, "needs_review": record.needs_review,
            "reasons": [RESTORED] if record.needs_review else []}


async def reregister(client: AsyncJobsClient, records: Sequence[ReceiptRecord]
                     ) -> dict[str, int]:
    api = ReceiptsApi(client)
    added = known = 0
    try:
        for record in records:
            row = await api.save_document(
                sha256=record.sha256, stored_path=record.stored_path,
                original_name=record.original_name, content_type=record.content_type,
                source="restore", message_id=None, received_at=record.received_at)
            if row.status != "stored" or row.stored_path != record.stored_path:
                known += 1
                continue
            await api.record_reading(str(row.id), fields_of(record), changed_by="system:restore",
                                     change_reason=RESTORED)
            if not record.stored_path.startswith(BLOB_PREFIX + "/"):
                await api.record_filing(str(row.id), record.stored_path)
            added += 1
    finally:
        await client.aclose()
    return {"receipts_added": added, "receipts_known": known}
