"""An extension's pages, assets and API as the dashboard's own routes, behind its guards.

Pages and assets go through `page` (signed out: redirect to the login), API routes through
`api` (401 without the token or session); every method but GET is an action, refused without
the session's CSRF token. The extension supplies endpoints, never its own guard.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from supajobs_worker.dashboard.auth import Auth, Principal
from supajobs_worker.dashboard.extension import DashboardExtension, ExtensionPage
from supajobs_worker.dashboard.frame import Link, nav_html
from supajobs_worker.dashboard.guard import Protected, api, base_path, page
from supajobs_worker.dashboard.pages import asset, template

MEDIA = {"js": "text/javascript", "css": "text/css"}


def link(ext: DashboardExtension) -> Link:
    return ext.title, f"/{ext.name}{ext.pages[0].path}"


def reserved_names(routes: Sequence[BaseRoute]) -> set[str]:
    """Path segments the built-in routes use, at the top and under /api."""
    names: set[str] = set()
    for route in routes:
        parts = getattr(route, "path", "").strip("/").split("/")
        names.add(parts[0])
        if parts[0] == "api" and len(parts) > 1:
            names.add(parts[1])
    return names


def _head(own: str, ext: DashboardExtension) -> str:
    styles = [f'<link rel="stylesheet" href="{html.escape(own + s, quote=True)}">'
              for s in ext.styles]
    scripts = [f'<script src="{html.escape(own + s, quote=True)}" defer></script>'
               for s in ext.scripts]
    return "\n".join([*styles, *scripts])


def extension_page(auth: Auth, ext: DashboardExtension, shown: ExtensionPage,
                   links: Sequence[Link]) -> Protected:
    fragment = (ext.static / shown.fragment).read_text(encoding="utf-8")
    here = f"/{ext.name}{shown.path}"

    async def show(request: Request, principal: Principal) -> Response:
        base = base_path(request)
        csrf = auth.csrf_token(principal.session) if principal.session else ""
        body = template("extension.html",
                        raw={"nav": nav_html(base, links, here), "fragment": fragment,
                             "head": _head(f"{base}/{ext.name}/static/", ext)},
                        base=base, csrf=csrf, title=shown.title, api=f"{base}/api/{ext.name}",
                        extension=ext.name)
        return HTMLResponse(body)
    return show


def extension_routes(auth: Auth, ext: DashboardExtension,
                     links: Sequence[Link]) -> list[BaseRoute]:
    routes: list[BaseRoute] = [
        Route(f"/{ext.name}{p.path}", page(auth, extension_page(auth, ext, p, links)),
              methods=["GET"]) for p in ext.pages]
    routes += [Route(f"/{ext.name}/static/{name}",
                     page(auth, asset(name, MEDIA[name.rsplit(".", 1)[1]], ext.static)),
                     methods=["GET"]) for name in (*ext.scripts, *ext.styles)]
    routes += [Route(f"/api/{ext.name}{r.path}",
                     api(auth, r.endpoint, action=r.method != "GET"), methods=[r.method])
               for r in ext.routes]
    return routes
