"""Monthly figures: totals per vendor and category, tax per rate, and what needs review."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from supajobs_receipts.organize.records import ReceiptRecord

UNKNOWN_VENDOR = "不明"
UNCATEGORIZED = "未分類"


@dataclass(frozen=True)
class ReviewItem:
    record: ReceiptRecord
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MonthlySummary:
    year: int
    month: int
    receipt_count: int
    total: int  # yen, tax included, over receipts with a known total
    tax_by_rate: tuple[tuple[str, int], ...]  # ("10%", yen), ("8%", yen), ("不明", yen)
    by_vendor: tuple[tuple[str, int, int], ...]  # (vendor, yen, receipts), largest first
    by_category: tuple[tuple[str, int, int], ...]
    review: tuple[ReviewItem, ...]


def review_reasons(record: ReceiptRecord) -> tuple[str, ...]:
    reasons = []
    if record.needs_review:
        reasons.append("要確認 (低い読み取り信頼度)")
    if record.date is None:
        reasons.append("日付不明")
    if record.total is None:
        reasons.append("金額不明")
    if not record.vendor:
        reasons.append("取引先不明")
    return tuple(reasons)


def _totals(pairs: Iterable[tuple[str, int]]) -> tuple[tuple[str, int, int], ...]:
    yen: dict[str, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    for key, amount in pairs:
        yen[key] += amount
        count[key] += 1
    return tuple(sorted(((k, yen[k], count[k]) for k in yen), key=lambda t: (-t[1], t[0])))


def summarize(records: Sequence[ReceiptRecord], year: int, month: int) -> MonthlySummary:
    """Receipts dated in the month count; undated ones are listed for review only."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, got {month}")
    in_month = [r for r in records if r.date and (r.date.year, r.date.month) == (year, month)]
    undated = [r for r in records if r.date is None]
    tax: dict[str, int] = defaultdict(int)
    for r in in_month:
        if r.tax is not None:
            tax[f"{r.tax_rate}%" if r.tax_rate else "不明"] += r.tax
    review = [
        ReviewItem(r, reasons)
        for r in sorted([*in_month, *undated], key=lambda r: (r.date is None, r.date, r.id))
        if (reasons := review_reasons(r))
    ]
    return MonthlySummary(
        year=year,
        month=month,
        receipt_count=len(in_month),
        total=sum(r.total or 0 for r in in_month),
        tax_by_rate=tuple(sorted(tax.items())),
        by_vendor=_totals((r.vendor or UNKNOWN_VENDOR, r.total or 0) for r in in_month),
        by_category=_totals((r.category or UNCATEGORIZED, r.total or 0) for r in in_month),
        review=tuple(review),
    )
