"""report_generate: the month's freee 取引インポート CSV and an HTML summary, in report_dir.

Payload: {"month": "YYYY-MM"} (default: the current month in Asia/Tokyo, which is what the
schedule on the last day of the month wants) and {"encoding": "utf-8"|"utf-8-sig"|"cp932"}.
Suspected duplicates nobody has confirmed are still two purchases, so they are exported;
the result lists them (`pending_duplicates`) so a person can decide before importing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from supajobs_receipts.organize import ReceiptRecord
from supajobs_receipts.pipeline.context import Pipeline
from supajobs_receipts.pipeline.evidence_api import EvidenceApi
from supajobs_receipts.report import (
    FreeeOptions,
    render_freee_csv,
    render_monthly_summary,
    summarize,
)
from supajobs_worker.registry import JobContext

TOKYO = ZoneInfo("Asia/Tokyo")


class ReportPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    month: str | None = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    encoding: Literal["utf-8", "utf-8-sig", "cp932"] = "utf-8"


def month_of(payload: ReportPayload, now: dt.datetime | None = None) -> tuple[int, int]:
    if payload.month is not None:
        year, month = payload.month.split("-")
        return int(year), int(month)
    today = (now or dt.datetime.now(TOKYO)).astimezone(TOKYO)
    return today.year, today.month


def write_atomically(path: Path, data: bytes) -> None:
    """Readers see the old report or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def render(records: list[ReceiptRecord], year: int, month: int, encoding: str
           ) -> tuple[bytes, bytes, dict[str, Any]]:
    in_month = [r for r in records if r.date and (r.date.year, r.date.month) == (year, month)]
    options = FreeeOptions(encoding="cp932" if encoding == "cp932" else "utf-8",
                           bom=encoding == "utf-8-sig")
    export = render_freee_csv(in_month, options)
    html = render_monthly_summary(records, year, month).encode("utf-8")
    counts = {"receipts": len(in_month), "exported": len(export.exported),
              "skipped": [{"receipt_id": i, "reason": why} for i, why in export.skipped],
              "total_yen": sum(r.total or 0 for r in in_month),
              "review": len(summarize(records, year, month).review)}
    return export.content, html, counts


async def report_generate(pipe: Pipeline, payload: ReportPayload, ctx: JobContext
                          ) -> dict[str, Any]:
    year, month = month_of(payload)
    # Undated receipts come along: the summary lists them for review.
    records = [r.record() for r in await pipe.api.list_receipts()]
    csv_bytes, html, counts = render(records, year, month, payload.encoding)
    in_month = {r.id for r in records if r.date and (r.date.year, r.date.month) == (year, month)}
    pending = [p for p in await EvidenceApi(pipe.client).pending_duplicates()
               if str(p.receipt_id) in in_month]
    label = f"{year:04d}-{month:02d}"
    csv_path = pipe.settings.report_dir / f"freee-{label}.csv"
    html_path = pipe.settings.report_dir / f"summary-{label}.html"
    await asyncio.to_thread(write_atomically, csv_path, csv_bytes)
    await asyncio.to_thread(write_atomically, html_path, html)
    return {"month": label, "encoding": payload.encoding, "csv": str(csv_path.resolve()),
            "html": str(html_path.resolve()), **counts,
            "pending_duplicates": [{"suggestion_id": p.suggestion_id,
                                    "receipt_id": str(p.receipt_id),
                                    "duplicate_of": str(p.duplicate_of)} for p in pending]}
