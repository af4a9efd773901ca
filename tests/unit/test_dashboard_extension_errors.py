"""The dashboard's extension point: a broken extension, or one that would take a path the
dashboard uses, stops the dashboard with an error naming it."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import Response

from supajobs_worker.dashboard import build_dashboard_app, extension_load
from supajobs_worker.dashboard.extension import (
    DashboardExtension,
    ExtensionContext,
    ExtensionPage,
    ExtensionRoute,
    Principal,
)
from supajobs_worker.dashboard.extension_load import ExtensionError

from .dashboard_fakes import FakeTransport, fake_client
from .dashboard_toy import TOKEN, toy_factory, toy_static


@pytest.fixture
def static(tmp_path: Path) -> Path:
    return toy_static(tmp_path)


def broken_points(value: str) -> object:
    def points(group: str) -> list[EntryPoint]:
        assert group == "supajobs.dashboard"
        return [EntryPoint("broken", value, group)]
    return points


@pytest.mark.parametrize(("value", "message"), [
    ("no_such_module_for_a_test:extension",
     r"dashboard extension 'broken' \(no_such_module_for_a_test:extension\) cannot be loaded: "
     r"ModuleNotFoundError"),
    ("supajobs_worker.dashboard:no_such_factory", r"'broken' .* cannot be loaded: AttributeError"),
    ("supajobs_worker.dashboard.extension:NAME", r"'broken' .* is not a callable"),
])
def test_an_extension_that_fails_to_load_is_named(monkeypatch: pytest.MonkeyPatch, value: str,
                                                  message: str) -> None:
    monkeypatch.setattr(extension_load, "entry_points", broken_points(value))
    with pytest.raises(ExtensionError, match=message):
        build_dashboard_app(lambda: fake_client(FakeTransport()), TOKEN)


def test_a_factory_that_fails_or_returns_junk_is_named(static: Path) -> None:
    seen: list[str] = []
    def failing(ctx: ExtensionContext) -> DashboardExtension:
        raise RuntimeError("no config")

    for factory, message in [(failing, r"'.*failing' failed to build: RuntimeError: no config"),
                             (lambda ctx: "page", r"returned str, not a DashboardExtension"),
                             (toy_factory(static, seen, "login"), r"may not be called 'login'"),
                             (toy_factory(static, seen, "overview"), r"'overview'")]:
        with pytest.raises(ExtensionError, match=message):
            build_dashboard_app(lambda: fake_client(FakeTransport()), TOKEN,
                                extensions=[factory])  # type: ignore[list-item]
    toy = toy_factory(static, seen)
    with pytest.raises(ExtensionError, match="a second extension is called 'toy'"):
        build_dashboard_app(lambda: fake_client(FakeTransport()), TOKEN,
                            extensions=[toy, toy])  # type: ignore[list-item]


@pytest.mark.parametrize(("change", "message"), [
    ({"name": "Bad Name"}, "extension name"), ({"title": " "}, "needs a title"),
    ({"pages": ()}, "at least one page"), ({"scripts": ("../x.js",)}, "must be a .js or .css"),
    ({"scripts": ("gone.js",)}, "lacks gone.js"),
])
def test_extensions_are_checked_when_made(static: Path, change: dict[str, object],
                                          message: str) -> None:
    fields: dict[str, object] = {"name": "toy", "title": "Toy", "static": static,
                                 "pages": (ExtensionPage("/", "Toy", "toy.html"),)}
    with pytest.raises(ValueError, match=message):
        DashboardExtension(**{**fields, **change})  # type: ignore[arg-type]


def test_routes_are_checked_when_made() -> None:
    async def endpoint(request: Request, principal: Principal) -> Response:
        return Response()

    with pytest.raises(ValueError, match="must start with /"):
        ExtensionRoute("things", endpoint)
    with pytest.raises(ValueError, match="must start with /"):
        ExtensionRoute("/a/../login", endpoint)
    with pytest.raises(ValueError, match="method 'TRACE'"):
        ExtensionRoute("/a", endpoint, method="TRACE")
    with pytest.raises(ValueError, match=r"must be an \.html file name"):
        ExtensionPage("/", "x", "x.js")
