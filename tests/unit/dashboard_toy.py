"""A toy dashboard extension for the extension point's tests: one page, one script, a GET
route and a POST route that record who called them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from supajobs_worker.dashboard.extension import (
    DashboardExtension,
    ExtensionContext,
    ExtensionPage,
    ExtensionRoute,
    Principal,
)

TOKEN = "test-dashboard-token-0123456789"
Factory = Callable[[ExtensionContext], DashboardExtension]


def toy_static(folder: Path) -> Path:
    (folder / "toy.html").write_text('<section id="toy">__CSRF__ <b>toy</b></section>')
    (folder / "toy.js").write_text("// toy")
    return folder


def toy_factory(static: Path, seen: list[str], name: str = "toy") -> Factory:
    async def read(request: Request, principal: Principal) -> Response:
        seen.append(f"read by {principal.name}")
        return JSONResponse({"ok": True})

    async def write(request: Request, principal: Principal) -> Response:
        seen.append(f"write by {principal.name}")
        return JSONResponse({"written": True})

    def factory(ctx: ExtensionContext) -> DashboardExtension:
        return DashboardExtension(
            name=name, title="Toy <&>", static=static,
            pages=(ExtensionPage("/", "Toy", "toy.html"),), scripts=("toy.js",),
            routes=(ExtensionRoute("/things", read),
                    ExtensionRoute("/things/{n:int}", write, method="POST")))
    return factory
