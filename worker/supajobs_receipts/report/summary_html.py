"""The monthly summary as one self-contained HTML file."""

from __future__ import annotations

from html import escape

from supajobs_receipts.report.monthly import MonthlySummary, ReviewItem
from supajobs_receipts.report.svg_chart import bar_chart

_STYLE = """
body{font-family:sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:4px 8px}td.n{text-align:right}
.bar{fill:#3b82f6}svg text{font-size:12px}
"""


def _yen(value: int) -> str:
    return f"{value:,}円"


def _table(title: str, head: str, rows: tuple[tuple[str, int, int], ...]) -> str:
    body = "".join(
        f'<tr><td>{escape(k)}</td><td class="n">{_yen(v)}</td><td class="n">{n}</td></tr>'
        for k, v, n in rows
    )
    return (
        f"<h2>{escape(title)}</h2><table><tr><th>{escape(head)}</th><th>金額</th>"
        f"<th>件数</th></tr>{body}</table>"
    )


def _review_row(item: ReviewItem) -> str:
    r = item.record
    cells = [
        r.id,
        r.date.isoformat() if r.date else "—",
        r.vendor or "—",
        _yen(r.total) if r.total is not None else "—",
        r.original_name,
        "、".join(item.reasons),
    ]
    return "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>"


def _review(items: tuple[ReviewItem, ...]) -> str:
    if not items:
        return "<h2>要確認</h2><p>確認が必要な領収書はありません。</p>"
    head = "".join(f"<th>{h}</th>" for h in ("ID", "日付", "取引先", "金額", "ファイル", "理由"))
    rows = "".join(_review_row(i) for i in items)
    return f"<h2>要確認 ({len(items)}件)</h2><table><tr>{head}</tr>{rows}</table>"


def render_html(s: MonthlySummary) -> str:
    title = f"{s.year}年{s.month}月 経費サマリー"
    taxes = "、".join(f"{escape(rate)}: {_yen(v)}" for rate, v in s.tax_by_rate) or "—"
    chart = bar_chart([(k, v) for k, v, _ in s.by_vendor], title="取引先別の支出")
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<p>領収書 {s.receipt_count}件、合計 {_yen(s.total)}(税込)。消費税: {taxes}</p>"
        f"<h2>取引先別グラフ</h2>{chart}"
        f"{_table('取引先別', '取引先', s.by_vendor)}"
        f"{_table('勘定科目別', '勘定科目', s.by_category)}"
        f"{_review(s.review)}</body></html>\n"
    )
