"""receipt_process: read one stored receipt (PDF text or OCR) and record what was found.

A file that cannot be read is an outcome, not a crash: the receipt is marked unreadable
with the reason, the job completes, and its result says why. A receipt already read (or
corrected by a person) is read again only with `reread: true`, which records a new version
and keeps the earlier ones.
"""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from supajobs.errors import NotFoundError
from supajobs_receipts.pipeline.context import Pipeline
from supajobs_receipts.reading import ReceiptFields, UnreadableReceipt
from supajobs_receipts.storage import StoredFileNotFoundError
from supajobs_worker.registry import JobContext, NonRetryableError


class ReceiptPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    receipt_id: UUID
    reread: bool = False


SETTLED = ("duplicate", "deleted")


def tax_rate(total: int | None, tax: int | None) -> int | None:
    """10 or 8 when the tax matches one rate on the tax-inclusive total; None when mixed."""
    if not total or not tax or tax >= total:
        return None
    for rate in (10, 8):
        if abs(total * rate // (100 + rate) - tax) <= 1:
            return rate
    return None


def reading(fields: ReceiptFields) -> dict[str, Any]:
    """ReceiptFields as receipts.record_reading takes them."""
    return {"date": fields.date.isoformat() if fields.date else None, "total": fields.total,
            "tax": fields.tax, "tax_rate": tax_rate(fields.total, fields.tax),
            "vendor": fields.vendor, "invoice_number": fields.invoice_number,
            "confidence": {k: round(v, 3) for k, v in fields.confidence.items()},
            "needs_review": fields.needs_review, "source": fields.source,
            "reasons": list(fields.warnings)}


async def receipt_process(pipe: Pipeline, payload: ReceiptPayload, ctx: JobContext
                          ) -> dict[str, Any]:
    try:
        row = await pipe.api.get(str(payload.receipt_id))
    except NotFoundError as exc:
        raise NonRetryableError(f"receipt {payload.receipt_id} does not exist") from exc
    done: dict[str, Any] = {"receipt_id": str(row.id), "file": row.original_name}
    if row.status in SETTLED:
        return {**done, "outcome": "skipped", "reason": f"the receipt is {row.status}"}
    if row.status != "stored" and not payload.reread:
        return {**done, "outcome": "skipped", "reason": f"already read ({row.status}); "
                "enqueue with reread: true to read it again"}
    try:
        data = await asyncio.to_thread(pipe.store.get, row.stored_path)
    except StoredFileNotFoundError as exc:
        raise NonRetryableError(f"receipt {row.id}: {exc}") from exc
    try:
        # in one of the pipeline's reading processes: as many at once as it has cores
        fields = await pipe.ocr.read(data, row.original_name, pipe.settings.read_options)
    except UnreadableReceipt as exc:
        await pipe.api.record_reading(str(row.id), {"unreadable": str(exc)})
        return {**done, "outcome": "unreadable", "reason": exc.reason.value,
                "detail": exc.detail}
    values = reading(fields)
    saved = await pipe.api.record_reading(str(row.id), values)
    found = [k for k in ("date", "total", "tax", "vendor", "invoice_number")
             if values[k] is not None]
    return {**done, "outcome": saved.status, "fields": found,
            **{k: values[k] for k in ("date", "total", "tax", "vendor", "invoice_number",
                                      "needs_review", "source")}}
