"""Upload one receipt to the File Box exactly once, whatever failed before.

begin_upload marks the attempt in flight first. If an earlier attempt's outcome is unknown
(its answer never came), freee is asked first: the file's sha256 is in the description of
each of our uploads, so a file freee did take is found and recorded instead of sent again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

from supajobs_receipts.freee import FreeeClient, FreeeRequestError, UploadFields
from supajobs_receipts.pipeline.freee_api import FreeeLedger, WorkRow
from supajobs_receipts.storage import FileStore

TOKYO = ZoneInfo("Asia/Tokyo")


def upload_fields(row: WorkRow) -> UploadFields:
    return UploadFields(sha256=row.sha256, issue_date=row.receipt_date, amount=row.total,
                        partner_name=(row.vendor or None) and row.vendor[:255],
                        invoice_number=row.invoice_number)


async def upload_once(client: FreeeClient, ledger: FreeeLedger, store: FileStore,
                      row: WorkRow) -> tuple[int, str]:
    """The File Box id and how it was got: 'uploaded', 'found' (an earlier attempt's) or
    'known'. A refusal by freee (FreeeRequestError) is recorded as such and raised."""
    ticket = await ledger.begin_upload(row.receipt_id)
    if ticket.state == "uploaded" and ticket.freee_receipt_id is not None:
        return ticket.freee_receipt_id, "known"
    if ticket.needs_lookup:
        since = ticket.first_attempt_at.astimezone(TOKYO).date()
        found = await asyncio.to_thread(client.find_upload, row.sha256, since,
                                        dt.datetime.now(TOKYO).date())
        if found is not None:
            await ledger.finish_upload(row.receipt_id, found.id)
            return found.id, "found"
    data = await asyncio.to_thread(store.get, row.stored_path)
    try:
        made = await asyncio.to_thread(client.upload_receipt, upload_fields(row), data,
                                       row.original_name, row.content_type)
    except FreeeRequestError as exc:
        await ledger.fail_upload(row.receipt_id, str(exc))
        raise
    await ledger.finish_upload(row.receipt_id, made.id)
    return made.id, "uploaded"
