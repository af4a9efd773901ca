"""The dashboard's extension point: an app adds pages, JSON routes and a navigation link.

A distribution declares a factory in the entry-point group `supajobs.dashboard` (name = the
extension, value = `module:function`); build_dashboard_app calls it with an ExtensionContext
and serves what it returns:

    pages   /<name>/<page.path>           behind the login (redirect when signed out)
    assets  /<name>/static/<file>         behind the login
    routes  /api/<name>/<route.path>      token or session; every method but GET needs the
                                          session's CSRF token (X-CSRF-Token)

The guards are applied by the dashboard, not by the extension, so none can opt out. A page is
an HTML fragment shipped with the app (its own markup, never data); the dashboard puts it in
its frame (header, navigation, sign-out) and the page's scripts fill it from the routes,
inserting data as text only.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib.resources.abc import Traversable

from starlette.responses import JSONResponse, Response

from supajobs import AsyncJobsClient, SupajobsError
from supajobs_worker.dashboard.actions import BadRequestError, json_body, status_for
from supajobs_worker.dashboard.auth import Principal
from supajobs_worker.dashboard.guard import Protected

__all__ = ["BadRequestError", "DashboardExtension", "ExtensionContext", "ExtensionFactory",
           "ExtensionPage", "ExtensionRoute", "Principal", "Protected", "error_response",
           "json_body", "json_error"]

NAME = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
PATH = re.compile(r"^/([A-Za-z0-9_.{}:-]+(/[A-Za-z0-9_.{}:-]+)*/?)?$")
ASSET = re.compile(r"^[A-Za-z0-9_-]+\.(js|css)$")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class ExtensionContext:
    """What the dashboard lends an extension: its SDK client (made on first use, closed
    with the dashboard)."""

    client: Callable[[], Awaitable[AsyncJobsClient]]


@dataclass(frozen=True)
class ExtensionRoute:
    path: str  # under /api/<name>; Starlette syntax, e.g. "/items/{item_id:int}"
    endpoint: Protected
    method: str = "GET"

    def __post_init__(self) -> None:
        if not PATH.match(self.path) or ".." in self.path:
            raise ValueError(f"route path {self.path!r} must start with / and name a path")
        if self.method not in METHODS:
            raise ValueError(f"route method {self.method!r} must be one of {', '.join(METHODS)}")


@dataclass(frozen=True)
class ExtensionPage:
    path: str  # under /<name>: "/" for the extension's first page
    title: str
    fragment: str  # a file in the extension's static folder: the page's own markup

    def __post_init__(self) -> None:
        if not PATH.match(self.path) or ".." in self.path:
            raise ValueError(f"page path {self.path!r} must start with / and name a path")
        if not self.fragment.endswith(".html") or "/" in self.fragment:
            raise ValueError(f"page fragment {self.fragment!r} must be an .html file name")


@dataclass(frozen=True)
class DashboardExtension:
    name: str  # the URL segment (lower case, digits, dashes)
    title: str  # the navigation link, which opens pages[0]
    static: Traversable  # folder holding the fragments, scripts and styles
    pages: tuple[ExtensionPage, ...]
    routes: tuple[ExtensionRoute, ...] = ()
    scripts: tuple[str, ...] = ()  # loaded by every page of the extension, in order
    styles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not NAME.match(self.name):
            raise ValueError(f"extension name {self.name!r} must match {NAME.pattern}")
        if not self.title.strip():
            raise ValueError(f"extension {self.name!r} needs a title (its navigation link)")
        if not self.pages:
            raise ValueError(f"extension {self.name!r} needs at least one page")
        for asset in (*self.scripts, *self.styles):
            if not ASSET.match(asset):
                raise ValueError(f"asset {asset!r} must be a .js or .css file name")
        files = [*self.scripts, *self.styles, *(p.fragment for p in self.pages)]
        missing = [f for f in files if not (self.static / f).is_file()]
        if missing:
            raise ValueError(f"extension {self.name!r} lacks {', '.join(missing)}")


ExtensionFactory = Callable[[ExtensionContext], DashboardExtension]


def json_error(message: str, status: int) -> Response:
    return JSONResponse({"error": message}, status_code=status)


def error_response(exc: SupajobsError) -> Response:
    """An SDK error as the dashboard answers it: 400 bad input, 404, 409 conflict, else 502;
    the database's message is the body."""
    return json_error(exc.message, status_for(exc))
