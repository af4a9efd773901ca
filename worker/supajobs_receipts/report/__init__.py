"""Monthly reports (job type `report_generate`): a freee import CSV and a human summary."""

from supajobs_receipts.report.freee_csv import (
    FreeeCsvError,
    FreeeDeal,
    FreeeExport,
    FreeeOptions,
    parse_freee_csv,
    render_freee_csv,
)
from supajobs_receipts.report.summary import MonthlySummary, render_monthly_summary, summarize

__all__ = [
    "FreeeCsvError",
    "FreeeDeal",
    "FreeeExport",
    "FreeeOptions",
    "MonthlySummary",
    "parse_freee_csv",
    "render_freee_csv",
    "render_monthly_summary",
    "summarize",
]
