"""The monthly summary for humans: one self-contained HTML page (inline CSS and SVG chart)."""

from __future__ import annotations

from collections.abc import Sequence

from supajobs_receipts.organize.records import ReceiptRecord
from supajobs_receipts.report.monthly import MonthlySummary, ReviewItem, summarize
from supajobs_receipts.report.summary_html import render_html


def render_monthly_summary(records: Sequence[ReceiptRecord], year: int, month: int) -> str:
    """HTML for the month: totals per vendor and category, a bar chart, receipts to review.

    Every value from a receipt is HTML-escaped; nothing is loaded from outside the file.
    """
    return render_html(summarize(records, year, month))


__all__ = ["MonthlySummary", "ReviewItem", "render_monthly_summary", "summarize"]
