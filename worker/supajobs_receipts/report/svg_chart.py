"""A horizontal bar chart as inline SVG, every label escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 180
BAR_WIDTH = 360
VALUE_WIDTH = 110
MAX_BARS = 10
MAX_LABEL_CHARS = 14


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "…"


def bar_chart(items: Sequence[tuple[str, int]], *, title: str) -> str:
    """Bars for the largest `MAX_BARS` items; the rest are folded into 「その他」."""
    shown = list(items[:MAX_BARS])
    rest = sum(v for _, v in items[MAX_BARS:])
    if rest:
        shown.append(("その他", rest))
    largest = max((v for _, v in shown), default=0)
    height = max(len(shown), 1) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (name, value) in enumerate(shown):
        y = GAP + i * (BAR_HEIGHT + GAP)
        bar = round(BAR_WIDTH * value / largest) if largest > 0 and value > 0 else 0
        text_y = y + BAR_HEIGHT - 6
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end">'
            f"{escape(_label(name))}</text>"
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{bar}" height="{BAR_HEIGHT}">'
            f"<title>{escape(name)}: {value:,}円</title></rect>"
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{text_y}">{value:,}円</text>'
        )
    if not shown:
        parts.append(f'<text x="{GAP}" y="{BAR_HEIGHT}">データなし</text>')
    parts.append("</svg>")
    return "".join(parts)
