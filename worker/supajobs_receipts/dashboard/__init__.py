"""The receipt app's pages on the operators' dashboard: search (取引年月日, 取引金額, 取引先,
any combination) with each receipt's history, the duplicates waiting for a person and the
receipts freee_sync could not place on a freee deal.

Found by the dashboard through the entry point `receipts` in the group `supajobs.dashboard`
(pyproject.toml); the engine's dashboard knows nothing of receipts.
"""

from __future__ import annotations

from importlib import resources

from supajobs_receipts.dashboard.freee_routes import FreeeRoutes
from supajobs_receipts.dashboard.routes import ReceiptRoutes
from supajobs_worker.dashboard.extension import (
    DashboardExtension,
    ExtensionContext,
    ExtensionPage,
)

STATIC = resources.files("supajobs_receipts.dashboard") / "static"


def extension(ctx: ExtensionContext) -> DashboardExtension:
    return DashboardExtension(
        name="receipts", title="Receipts", static=STATIC,
        pages=(ExtensionPage("/", "Receipts", "receipts.html"),),
        routes=(*ReceiptRoutes(ctx).routes(), *FreeeRoutes(ctx).routes()),
        scripts=("receipts.js", "freee_review.js"), styles=("receipts.css",))
