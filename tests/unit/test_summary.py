"""Monthly summary: totals, review list, escaping, and no external assets."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest

from supajobs_receipts.report.summary import render_monthly_summary, summarize
from supajobs_receipts.report.svg_chart import MAX_BARS, bar_chart
from unit.organize_factory import make_receipt

JUNE = [
    make_receipt(1, vendor="スターバックス", total=500, tax=45, tax_rate=10, category="会議費"),
    make_receipt(2, vendor="スターバックス", total=700, tax=63, tax_rate=10, category="会議費"),
    make_receipt(3, vendor="セブン", total=216, tax=16, tax_rate=8, category=None),
    make_receipt(4, vendor=None, total=1000, tax=None, tax_rate=None, needs_review=True),
    make_receipt(5, total=None, vendor="AWS"),
    make_receipt(6, date=None, vendor="謎"),
    make_receipt(7, date=date(2024, 7, 1), total=99999),  # another month
]


def test_totals_per_vendor_and_category() -> None:
    s = summarize(JUNE, 2024, 6)
    assert s.receipt_count == 5
    assert s.total == 500 + 700 + 216 + 1000
    assert s.by_vendor[0] == ("スターバックス", 1200, 2)
    assert ("不明", 1000, 1) in s.by_vendor
    cats = {k: (v, n) for k, v, n in s.by_category}
    assert cats["未分類"] == (216, 1)
    assert cats["会議費"] == (1200 + 1000 + 0, 4)  # r4 and r5 keep the factory's 会議費
    assert dict(s.tax_by_rate) == {"10%": 45 + 63 + 112, "8%": 16}  # r4 has no tax


def test_review_lists_flagged_and_incomplete_receipts() -> None:
    s = summarize(JUNE, 2024, 6)
    assert [(i.record.id, i.reasons) for i in s.review] == [
        ("r4", ("要確認 (低い読み取り信頼度)", "取引先不明")),
        ("r5", ("金額不明",)),
        ("r6", ("日付不明",)),
    ]


def test_invalid_month_is_rejected() -> None:
    with pytest.raises(ValueError, match="month must be 1-12"):
        summarize(JUNE, 2024, 13)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_and_escaped() -> None:
    evil = make_receipt(
        9,
        vendor='<script>alert("x")</script>',
        original_name="<img src=x onerror=1>.pdf",
        needs_review=True,
    )
    page = render_monthly_summary([*JUNE, evil], 2024, 6)
    parser = _Collector()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "img" not in parser.tags
    assert not [a for a in parser.attrs if a[0] in ("src", "href", "onerror")]
    assert not re.search(r"url\(|@import|<link", page)
    assert "svg" in parser.tags
    text = "".join(parser.text)
    assert '<script>alert("x")</script>' in text  # shown as text, not run
    assert "2024年6月 経費サマリー" in text
    assert "合計 3,650円" in text  # 2,416 in June plus the evil 1,234
    assert "<img src=x onerror=1>.pdf" in text


def test_chart_bars_scale_and_fold_the_rest() -> None:
    items = [(f"v{i}", 1000 - i) for i in range(MAX_BARS + 3)]
    svg = bar_chart(items, title="t")
    widths = [int(w) for w in re.findall(r'class="bar" x="\d+" y="\d+" width="(\d+)"', svg)]
    assert len(widths) == MAX_BARS + 1  # ten bars and 「その他」
    assert widths[0] == max(widths[:MAX_BARS])
    assert "その他" in svg
    assert "データなし" in bar_chart([], title="t")


def test_empty_month() -> None:
    page = render_monthly_summary([], 2024, 2)
    assert "領収書 0件" in page
    assert "確認が必要な領収書はありません" in page
