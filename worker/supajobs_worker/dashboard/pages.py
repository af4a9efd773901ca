"""HTML pages: the login form and the dashboard shell (its script fills it from the API)."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from supajobs_worker.dashboard.auth import SESSION_COOKIE, Auth, Principal
from supajobs_worker.dashboard.frame import Link, nav_html
from supajobs_worker.dashboard.guard import Endpoint, Protected, base_path, secured

STATIC = resources.files("supajobs_worker.dashboard") / "static"
MAX_LOGIN_BODY = 4096
KEY = re.compile(r"__([A-Z][A-Z_]*[A-Z])__")


def template(name: str, raw: Mapping[str, str] | None = None, **values: str) -> str:
    """STATIC/name with each __KEY__ replaced by its value, HTML-escaped; `raw` values are
    markup the dashboard made itself (escaping what it holds). One pass: text put in is never
    scanned for further keys."""
    filled = {k.upper(): html.escape(v, quote=True) for k, v in values.items()}
    filled.update({k.upper(): v for k, v in (raw or {}).items()})
    text = (STATIC / name).read_text(encoding="utf-8")
    return KEY.sub(lambda m: filled.get(m.group(1), m.group(0)), text)


def login_form(request: Request, message: str = "", status: int = 200) -> Response:
    body = template("login.html", base=base_path(request), message=message)
    return secured(HTMLResponse(body, status_code=status))


async def login(request: Request, auth: Auth) -> Response:
    raw = await request.body()
    if len(raw) > MAX_LOGIN_BODY:
        return login_form(request, "Request too large.", 413)
    fields = parse_qs(raw.decode("utf-8", "replace"))
    token = (fields.get("token") or [""])[0]
    if not token or not auth.token_matches(token):
        return login_form(request, "Wrong token.", 401)
    response = RedirectResponse(f"{base_path(request)}/", status_code=303)
    response.set_cookie(SESSION_COOKIE, auth.new_session(), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path=base_path(request) or "/")
    return secured(response)


async def logout(request: Request) -> Response:
    response = RedirectResponse(f"{base_path(request)}/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=base_path(request) or "/")
    return secured(response)


def dashboard_page(auth: Auth, poll_seconds: float, links: Sequence[Link]) -> Protected:
    async def show(request: Request, principal: Principal) -> Response:
        csrf = auth.csrf_token(principal.session) if principal.session else ""
        base = base_path(request)
        body = template("index.html", raw={"nav": nav_html(base, links, "/")}, base=base,
                        csrf=csrf, poll_ms=str(int(poll_seconds * 1000)))
        return HTMLResponse(body)
    return show


def asset(name: str, media_type: str, folder: Traversable = STATIC) -> Protected:
    async def serve(request: Request, principal: Principal) -> Response:
        return Response((folder / name).read_bytes(), media_type=media_type)
    return serve


def public_asset(name: str, media_type: str) -> Endpoint:
    async def serve(request: Request) -> Response:
        return secured(Response((STATIC / name).read_bytes(), media_type=media_type))
    return serve


async def no_icon(request: Request) -> Response:
    return Response(status_code=204)
