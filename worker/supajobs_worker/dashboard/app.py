"""build_dashboard_app: the operators' view as a Starlette app (mounted at /dashboard by the
worker, or served alone by `supajobs dashboard`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from supajobs_worker.dashboard import pages
from supajobs_worker.dashboard.actions import Actions
from supajobs_worker.dashboard.auth import Auth, Principal
from supajobs_worker.dashboard.events import SnapshotFeed, events_endpoint
from supajobs_worker.dashboard.extension import ExtensionContext, ExtensionFactory
from supajobs_worker.dashboard.extension_load import build_all, explicit, installed
from supajobs_worker.dashboard.extension_routes import extension_routes, link, reserved_names
from supajobs_worker.dashboard.frame import HOME, Link
from supajobs_worker.dashboard.guard import Protected, api, page
from supajobs_worker.dashboard.holder import ClientFactory, ClientHolder
from supajobs_worker.dashboard.overview import ViewSettings, overview


def build_dashboard_app(client_factory: ClientFactory, token: str, *,
                        poll_seconds: float = 5.0, stream_seconds: float = 60.0,
                        view: ViewSettings | None = None,
                        extensions: Sequence[ExtensionFactory] | None = None) -> Starlette:
    """token: the service-role key or a dedicated dashboard token (at least 16 characters).
    extensions: factories of pages other packages add (default: every one installed in the
    entry-point group `supajobs.dashboard`; see dashboard/extension.py). A broken one raises
    ExtensionError naming it. poll_seconds: how often the live view (server-sent events on
    /api/events) sends a new snapshot; stream_seconds: how long one event stream lasts before
    the browser reconnects (and its session is checked again).

    Every route but /login needs `Authorization: Bearer <token>` or the session cookie that
    POST /login sets. When mounted, the parent should `await app.state.clients.aclose()`
    on shutdown (Starlette does not run a mounted app's lifespan).
    """
    if not 0.2 <= poll_seconds <= 300:
        raise ValueError("poll_seconds must be from 0.2 to 300")
    if not poll_seconds <= stream_seconds <= 3600:
        raise ValueError("stream_seconds must be from poll_seconds to 3600")
    auth = Auth(token)
    clients = ClientHolder(client_factory)
    actions = Actions(clients)
    settings = view or ViewSettings()

    async def read() -> dict[str, Any]:
        return await overview(await clients.get(), settings)

    feed = SnapshotFeed(read, max_age=poll_seconds * 0.9)

    async def snapshot(request: Request, principal: Principal) -> Response:
        return JSONResponse(await read())

    def changes(endpoint: Protected) -> Protected:
        async def run(request: Request, principal: Principal) -> Response:
            try:
                return await endpoint(request, principal)
            finally:
                feed.invalidate()
        return run

    async def login(request: Request) -> Response:
        return await pages.login(request, auth)

    async def login_form(request: Request) -> Response:
        return pages.login_form(request)

    links: list[Link] = [HOME]  # the extensions' links join below, before any request

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await clients.aclose()

    routes: list[BaseRoute] = [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", pages.logout, methods=["POST"]),
        Route("/", page(auth, pages.dashboard_page(auth, poll_seconds, links)),
              methods=["GET"]),
        Route("/static/dashboard.js",
              page(auth, pages.asset("dashboard.js", "text/javascript")), methods=["GET"]),
        Route("/static/dom.js",
              page(auth, pages.asset("dom.js", "text/javascript")), methods=["GET"]),
        Route("/static/chart.js",
              page(auth, pages.asset("chart.js", "text/javascript")), methods=["GET"]),
        Route("/static/live.js",
              page(auth, pages.asset("live.js", "text/javascript")), methods=["GET"]),
        # The stylesheet holds no data and styles the login page too.
        Route("/static/dashboard.css", pages.public_asset("dashboard.css", "text/css"),
              methods=["GET"]),
        Route("/favicon.ico", pages.no_icon, methods=["GET"]),
        Route("/api/overview", api(auth, snapshot), methods=["GET"]),
        Route("/api/events", api(auth, events_endpoint(feed, poll_seconds, stream_seconds)),
              methods=["GET"]),
        Route("/api/dead-letters/{job_id:int}/requeue",
              api(auth, changes(actions.requeue), action=True), methods=["POST"]),
        Route("/api/dead-letters/purge", api(auth, changes(actions.purge), action=True),
              methods=["POST"]),
        Route("/api/breakers/reset", api(auth, changes(actions.reset), action=True),
              methods=["POST"]),
    ]
    named = installed() if extensions is None else explicit(extensions)
    added = build_all(named, ExtensionContext(client=clients.get), reserved_names(routes))
    links += [link(e) for e in added]
    for ext in added:
        routes += extension_routes(auth, ext, links)
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.clients = clients
    return app
