"""Endpoint wrappers: refuse the unauthenticated (401 for the API, redirect for pages) and
cookie-borne actions without the session's CSRF token (403)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from supajobs_worker.dashboard.auth import Auth, Principal

Endpoint = Callable[[Request], Awaitable[Response]]
Protected = Callable[[Request, Principal], Awaitable[Response]]

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def base_path(request: Request) -> str:
    """Where the dashboard is mounted ('' standalone, '/dashboard' inside the worker)."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def secured(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def unauthorized() -> Response:
    return secured(JSONResponse({"error": "authentication required: send Authorization: "
                                          "Bearer <token> or log in"},
                                status_code=401, headers={"www-authenticate": "Bearer"}))


def api(auth: Auth, endpoint: Protected, *, action: bool = False) -> Endpoint:
    async def wrapped(request: Request) -> Response:
        principal = auth.identify(request)
        if principal is None:
            return unauthorized()
        if action and not auth.csrf_ok(principal, request):
            return secured(JSONResponse({"error": "missing or wrong CSRF token "
                                                  "(header X-CSRF-Token)"}, status_code=403))
        return secured(await endpoint(request, principal))
    return wrapped


def page(auth: Auth, endpoint: Protected) -> Endpoint:
    async def wrapped(request: Request) -> Response:
        principal = auth.identify(request)
        if principal is None:
            return secured(RedirectResponse(f"{base_path(request)}/login", status_code=303))
        return secured(await endpoint(request, principal))
    return wrapped
