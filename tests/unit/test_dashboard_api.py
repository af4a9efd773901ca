"""The dashboard's HTTP surface: refusal without credentials, login, CSRF, actions."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from supajobs import ConflictError
from supajobs_worker.dashboard import build_dashboard_app

from .dashboard_fakes import FakeTransport, fake_client

TOKEN = "test-dashboard-token-0123456789"
BEARER = {"authorization": f"Bearer {TOKEN}"}
ACTIONS = ["/api/dead-letters/9/requeue", "/api/dead-letters/purge", "/api/breakers/reset"]


@pytest.fixture
def fake() -> FakeTransport:
    return FakeTransport()


@pytest.fixture
def http(fake: FakeTransport) -> Iterator[TestClient]:
    app = build_dashboard_app(lambda: fake_client(fake), TOKEN, poll_seconds=1)
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
        yield client


def login(http: TestClient) -> str:
    response = http.post("/login", data={"token": TOKEN})
    assert response.status_code == 303
    page = http.get("/")
    assert page.status_code == 200
    match = re.search(r'data-csrf="([0-9a-f]{64})"', page.text)
    assert match, "the page carries the session's CSRF token"
    return match.group(1)


@pytest.mark.parametrize("path", ["/", "/static/dashboard.js"])
def test_pages_redirect_to_login_without_credentials(http: TestClient, path: str) -> None:
    response = http.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_api_refuses_without_credentials(http: TestClient, fake: FakeTransport) -> None:
    assert http.get("/api/overview").status_code == 401
    for path in ACTIONS:
        response = http.post(path, json={"scope": "global"})
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    assert http.get("/api/overview", headers={"authorization": "Bearer wrong"}).status_code == 401
    assert fake.calls == [], "nothing reached the database"


def test_wrong_token_login_is_refused(http: TestClient) -> None:
    response = http.post("/login", data={"token": "not-the-token-at-all"})
    assert response.status_code == 401
    assert "Wrong token" in response.text
    assert "supajobs_dashboard" not in response.headers.get("set-cookie", "")


def test_bearer_reads_the_overview(http: TestClient) -> None:
    response = http.get("/api/overview", headers=BEARER)
    assert response.status_code == 200
    data = response.json()
    assert data["queue"]["totals"]["queued"] == 3
    assert data["queue"]["oldest_due"] == {"job_type": "email_scan", "age_seconds": 42.0}
    assert data["dead_letters"][0]["id"] == 9
    assert "payload" not in data["dead_letters"][0], "payload contents are not shown"
    assert data["breakers"]["open"][0]["scope"] == "type:email_scan"
    assert response.headers["cache-control"] == "no-store"


def test_cookie_actions_need_the_csrf_token(http: TestClient, fake: FakeTransport) -> None:
    csrf = login(http)
    assert http.post("/api/dead-letters/9/requeue").status_code == 403
    assert http.post("/api/dead-letters/9/requeue",
                     headers={"x-csrf-token": "0" * 64}).status_code == 403
    assert not [c for c in fake.calls if c[0] == "requeue_dead"]
    response = http.post("/api/dead-letters/9/requeue", headers={"x-csrf-token": csrf})
    assert response.status_code == 200
    assert response.json() == {"job_id": 9, "status": "queued"}
    assert ("requeue_dead", {"job_id": 9}) in fake.calls


def test_logout_ends_the_session(http: TestClient) -> None:
    login(http)
    http.post("/logout")
    assert http.get("/api/overview").status_code == 401


def test_requeue_of_a_job_that_is_not_dead_is_a_conflict(fake: FakeTransport,
                                                         http: TestClient) -> None:
    fake.responses["requeue_dead"] = ConflictError("job 9 is not a dead letter", code="SJ409")
    response = http.post("/api/dead-letters/9/requeue", headers=BEARER)
    assert response.status_code == 409
    assert response.json()["error"] == "job 9 is not a dead letter"


def test_purge_passes_the_age_and_reports_the_count(http: TestClient,
                                                    fake: FakeTransport) -> None:
    response = http.post("/api/dead-letters/purge", headers=BEARER, json={"older_than_hours": 24})
    assert response.json() == {"purged": 2}
    fn, args = fake.calls[-1]
    assert fn == "purge_dead_letters" and args["older_than"].total_seconds() == 86400


@pytest.mark.parametrize(("path", "body", "message"), [
    ("/api/dead-letters/purge", {"older_than_hours": -1}, "older_than_hours must be"),
    ("/api/dead-letters/purge", {"older_than_hours": "soon"}, "older_than_hours must be"),
    ("/api/breakers/reset", {"scope": "type:Bad Name"}, "scope must be"),
    ("/api/breakers/reset", {}, "scope must be"),
])
def test_bad_action_input_is_a_400_naming_the_field(http: TestClient, path: str,
                                                    body: dict[str, object], message: str) -> None:
    response = http.post(path, headers=BEARER, json=body)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_non_json_body_is_a_400(http: TestClient) -> None:
    response = http.post("/api/breakers/reset", headers=BEARER, content=b"scope=global")
    assert response.status_code == 400
    assert response.json()["error"] == "request body must be JSON"


def test_breaker_reset_records_who_reset_it(http: TestClient, fake: FakeTransport) -> None:
    response = http.post("/api/breakers/reset", headers=BEARER, json={"scope": "type:email_scan"})
    assert response.json() == {"reset": [1]}
    assert fake.calls[-1] == ("reset_breaker", {"scope": "type:email_scan",
                                                "reset_by": "dashboard (bearer)"})


def test_mounted_under_a_prefix_redirects_and_links_within_it(fake: FakeTransport) -> None:
    parent = Starlette(routes=[Mount("/dashboard", build_dashboard_app(
        lambda: fake_client(fake), TOKEN))])
    with TestClient(parent, follow_redirects=False) as client:
        assert client.get("/dashboard/").headers["location"] == "/dashboard/login"
        assert 'action="/dashboard/login"' in client.get("/dashboard/login").text
        client.post("/dashboard/login", data={"token": TOKEN})
        page = client.get("/dashboard/")
        assert 'data-base="/dashboard"' in page.text
        assert client.get("/dashboard/static/dashboard.js").status_code == 200


def test_poll_interval_is_checked() -> None:
    with pytest.raises(ValueError, match="poll_seconds"):
        build_dashboard_app(lambda: fake_client(FakeTransport()), TOKEN, poll_seconds=0)


def test_standalone_token_comes_from_env_or_the_service_key() -> None:
    from supajobs_worker.dashboard.serve import app_from_env, dashboard_token

    assert dashboard_token({"SUPAJOBS_DASHBOARD_TOKEN": TOKEN,
                            "SUPABASE_SERVICE_ROLE_KEY": "other"}) == TOKEN
    assert dashboard_token({"SUPABASE_SERVICE_ROLE_KEY": TOKEN}) == TOKEN
    with pytest.raises(ValueError, match="SUPAJOBS_DASHBOARD_TOKEN"):
        dashboard_token({})
    with pytest.raises(ValueError, match="no supajobs connection configured"):
        app_from_env({"SUPAJOBS_DASHBOARD_TOKEN": TOKEN})
    app = app_from_env({"SUPAJOBS_DASHBOARD_TOKEN": TOKEN,
                        "SUPAJOBS_DATABASE_URL": "postgresql://localhost/none"})
    with TestClient(app, follow_redirects=False) as client:
        assert client.get("/api/overview").status_code == 401
