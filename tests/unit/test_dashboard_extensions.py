"""The dashboard's extension point: an extension's pages, assets and routes sit behind the
same login, token and CSRF checks as the built-in ones, inside the dashboard's frame."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from supajobs_worker.dashboard import build_dashboard_app
from supajobs_worker.dashboard.extension import (
    Principal,
)

from .dashboard_fakes import FakeTransport, fake_client
from .dashboard_toy import TOKEN, toy_factory, toy_static


@pytest.fixture
def static(tmp_path: Path) -> Path:
    return toy_static(tmp_path)


BEARER = {"authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def seen() -> list[str]:
    return []


@pytest.fixture
def http(static: Path, seen: list[str]) -> Iterator[TestClient]:
    app = build_dashboard_app(lambda: fake_client(FakeTransport()), TOKEN,
                              extensions=[toy_factory(static, seen)])  # type: ignore[list-item]
    with TestClient(app, follow_redirects=False) as client:
        yield client


def login(http: TestClient) -> str:
    assert http.post("/login", data={"token": TOKEN}).status_code == 303
    match = re.search(r'data-csrf="([0-9a-f]{64})"', http.get("/toy/").text)
    assert match
    return match.group(1)


@pytest.mark.parametrize("path", ["/toy/", "/toy/static/toy.js"])
def test_extension_pages_redirect_to_login(http: TestClient, path: str) -> None:
    response = http.get(path)
    assert (response.status_code, response.headers["location"]) == (303, "/login")


def test_extension_routes_refuse_without_credentials(http: TestClient, seen: list[str]) -> None:
    assert http.get("/api/toy/things").status_code == 401
    assert http.post("/api/toy/things/1").status_code == 401
    assert http.get("/api/toy/things", headers={"authorization": "Bearer wrong"}
                    ).status_code == 401
    assert seen == [], "no extension endpoint ran"


def test_extension_posts_need_the_csrf_token(http: TestClient, seen: list[str]) -> None:
    csrf = login(http)
    assert http.get("/api/toy/things").status_code == 200  # reading needs no CSRF token
    assert http.post("/api/toy/things/1").status_code == 403
    assert http.post("/api/toy/things/1", headers={"x-csrf-token": "0" * 64}).status_code == 403
    assert [s for s in seen if s.startswith("write")] == []
    assert http.post("/api/toy/things/1", headers={"x-csrf-token": csrf}).status_code == 200
    assert http.post("/api/toy/things/1", headers=BEARER).status_code == 200
    assert seen[-1] == "write by bearer"
    assert re.fullmatch(r"write by session-[0-9a-f]{12}", seen[-2])


def test_principal_name_never_holds_the_cookie() -> None:
    cookie = "1800000000.abcdef0123456789.0123456789abcdef"
    name = Principal("session", cookie).name
    assert name.startswith("session-") and cookie not in name
    assert "abcdef0123456789" not in name
    assert Principal("bearer").name == "bearer"


def test_page_sits_in_the_frame_with_escaped_navigation(http: TestClient) -> None:
    csrf = login(http)
    page = http.get("/toy/")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert '<section id="toy">__CSRF__ <b>toy</b></section>' in page.text, \
        "the fragment is inserted as is, and not scanned for keys"
    assert f'data-csrf="{csrf}"' in page.text and 'data-api="/api/toy"' in page.text
    assert '<script src="/toy/static/toy.js" defer></script>' in page.text
    assert '<a href="/toy/" aria-current="page">Toy &lt;&amp;&gt;</a>' in page.text
    home = http.get("/")
    assert '<a href="/toy/">Toy &lt;&amp;&gt;</a>' in home.text
    assert '<a href="/" aria-current="page">Operations</a>' in home.text
    assert http.get("/toy/static/toy.js").headers["content-type"].startswith("text/javascript")
    assert http.get("/toy/static/other.js").status_code in (303, 404)


def test_installed_extensions_are_found_by_default() -> None:
    app = build_dashboard_app(lambda: fake_client(FakeTransport()), TOKEN)
    with TestClient(app, follow_redirects=False) as client:
        assert client.get("/receipts/").status_code == 303
        assert client.get("/api/receipts/duplicates").status_code == 401
        client.post("/login", data={"token": TOKEN})
        assert '<a href="/receipts/">Receipts</a>' in client.get("/").text
