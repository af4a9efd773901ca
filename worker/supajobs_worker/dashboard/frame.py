"""What every dashboard page shares: the navigation (the built-in page, then one link per
extension), as markup built here with every label and address escaped."""

from __future__ import annotations

import html
from collections.abc import Sequence

Link = tuple[str, str]  # (label, path under the dashboard, e.g. "/" or "/<extension>/")
HOME: Link = ("Operations", "/")


def nav_html(base: str, links: Sequence[Link], current: str) -> str:
    items = []
    for label, path in links:
        here = ' aria-current="page"' if path == current else ""
        items.append(f'<a href="{html.escape(base + path, quote=True)}"{here}>'
                     f"{html.escape(label)}</a>")
    return '<nav data-testid="nav">' + "".join(items) + "</nav>"
