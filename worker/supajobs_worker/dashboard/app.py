"""build_dashboard_app: the operators' view as a Starlette app (mounted at /dashboard by the
worker, or served alone by `supajobs dashboard`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from supajobs_worker.dashboard import pages
from supajobs_worker.dashboard.actions import Actions
from supajobs_worker.dashboard.auth import Auth, Principal
from supajobs_worker.dashboard.guard import api, page
from supajobs_worker.dashboard.holder import ClientFactory, ClientHolder
from supajobs_worker.dashboard.overview import ViewSettings, overview


def build_dashboard_app(client_factory: ClientFactory, token: str, *,
                        poll_seconds: float = 5.0,
                        view: ViewSettings | None = None) -> Starlette:
    """token: the service-role key or a dedicated dashboard token (at least 16 characters).

    Every route but /login needs `Authorization: Bearer <token>` or the session cookie that
    POST /login sets. When mounted, the parent should `await app.state.clients.aclose()`
    on shutdown (Starlette does not run a mounted app's lifespan).
    """
    if not 0.2 <= poll_seconds <= 300:
        raise ValueError("poll_seconds must be from 0.2 to 300")
    auth = Auth(token)
    clients = ClientHolder(client_factory)
    actions = Actions(clients)
    settings = view or ViewSettings()

    async def snapshot(request: Request, principal: Principal) -> Response:
        return JSONResponse(await overview(await clients.get(), settings))

    async def login(request: Request) -> Response:
        return await pages.login(request, auth)

    async def login_form(request: Request) -> Response:
        return pages.login_form(request)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await clients.aclose()

    routes = [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", pages.logout, methods=["POST"]),
        Route("/", page(auth, pages.dashboard_page(auth, poll_seconds)), methods=["GET"]),
        Route("/static/dashboard.js",
              page(auth, pages.asset("dashboard.js", "text/javascript")), methods=["GET"]),
        Route("/static/chart.js",
              page(auth, pages.asset("chart.js", "text/javascript")), methods=["GET"]),
        # The stylesheet holds no data and styles the login page too.
        Route("/static/dashboard.css", pages.public_asset("dashboard.css", "text/css"),
              methods=["GET"]),
        Route("/favicon.ico", pages.no_icon, methods=["GET"]),
        Route("/api/overview", api(auth, snapshot), methods=["GET"]),
        Route("/api/dead-letters/{job_id:int}/requeue", api(auth, actions.requeue, action=True),
              methods=["POST"]),
        Route("/api/dead-letters/purge", api(auth, actions.purge, action=True),
              methods=["POST"]),
        Route("/api/breakers/reset", api(auth, actions.reset, action=True), methods=["POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.clients = clients
    return app
