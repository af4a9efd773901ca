"""The OAuth grant table and its rotation protocol against the real PostgreSQL: only
service_role reads it, a refresh token is handed to one holder at a time, a rotation is stored
with its generation bump, a revocation raises one alert that says how to re-authorise."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import psycopg
import pytest

from support.receipts_sql import call
from support.rpc import service_connection


def store(svc: psycopg.Connection[Any], provider: str = "freee", refresh: str = "rt-1",
          access: str = "at-1", expires_in: int = 3600) -> dict[str, Any]:
    return call(svc, "store_grant", provider=provider, account="me@example.com",
                refresh_token=refresh, access_token=access,
                expires_at=_in(expires_in), scopes=["read", "write"],
                extra={"company_id": 42})[0]


def _in(seconds: int) -> Any:
    import datetime as dt
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)


def begin(svc: psycopg.Connection[Any], holder: str, seen: int | None,
          lease: int = 30) -> dict[str, Any]:
    rows = call(svc, "begin_refresh", provider="freee", holder=holder, lease_seconds=lease,
                seen_generation=seen)
    assert len(rows) == 1
    return rows[0]


def test_status_never_shows_tokens_and_consent_bumps_the_generation(
        svc: psycopg.Connection[Any]) -> None:
    first = store(svc)
    assert first["generation"] == 1 and first["status"] == "active"
    again = store(svc, refresh="rt-2")
    assert again["generation"] == 2 and again["refresh_token"] == "rt-2"
    status = call(svc, "grant_status")
    assert [s["provider"] for s in status] == ["freee"]
    assert "refresh_token" not in status[0] and "access_token" not in status[0]
    assert status[0]["extra"] == {"company_id": 42}
    assert call(svc, "get_grant", provider="google") == []


@pytest.mark.parametrize(("provider", "refresh", "needle"), [
    ("dropbox", "rt", "provider must be google or freee"),
    ("google", "", "refresh_token is empty")])
def test_store_refuses_bad_input(svc: psycopg.Connection[Any], provider: str, refresh: str,
                                 needle: str) -> None:
    with pytest.raises(psycopg.Error, match=needle):
        store(svc, provider=provider, refresh=refresh)
    assert call(svc, "grant_status") == []


@pytest.mark.parametrize("role", ["anon", "authenticated"])
def test_untrusted_roles_cannot_read_or_call(conn: psycopg.Connection[Any], role: str) -> None:
    conn.execute(f"set role {role}")
    for statement in ("select * from receipts.oauth_grants",
                      "select * from receipts.get_grant('freee')",
                      "select * from receipts.begin_refresh('freee', 'x', 30, 1)"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)


def test_one_lease_at_a_time_and_finish_needs_it(svc: psycopg.Connection[Any]) -> None:
    store(svc)
    assert begin(svc, "w1", 1)["outcome"] == "acquired"
    busy = begin(svc, "w2", 1)
    assert busy["outcome"] == "busy" and busy["refresh_token"] == "rt-1"
    assert call(svc, "finish_refresh", provider="freee", holder="w2", generation=1,
                access_token="at-x", expires_at=_in(3600))[0]["finish_refresh"] is False
    assert call(svc, "finish_refresh", provider="freee", holder="w1", generation=1,
                access_token="at-2", expires_at=_in(3600),
                new_refresh_token="rt-2")[0]["finish_refresh"] is True
    row = call(svc, "get_grant", provider="freee")[0]
    assert (row["generation"], row["refresh_token"], row["access_token"]) == (2, "rt-2", "at-2")
    assert row["lease_holder"] is None and row["refreshed_at"] is not None
    # w2 read generation 1: it is told about the rotation and gets the new tokens, no lease
    late = begin(svc, "w2", 1)
    assert late["outcome"] == "rotated" and late["access_token"] == "at-2"
    # a finish for the old generation changes nothing
    assert call(svc, "finish_refresh", provider="freee", holder="w1", generation=1,
                access_token="stale", expires_at=_in(1))[0]["finish_refresh"] is False
    assert call(svc, "get_grant", provider="freee")[0]["access_token"] == "at-2"


def test_an_expired_lease_is_taken_over(svc: psycopg.Connection[Any]) -> None:
    store(svc)
    assert begin(svc, "w1", 1, lease=5)["outcome"] == "acquired"
    svc.execute("update receipts.oauth_grants set lease_until = now() - interval '1 second'")
    assert begin(svc, "w2", 1)["outcome"] == "acquired"
    assert call(svc, "finish_refresh", provider="freee", holder="w1", generation=1,
                access_token="at-x", expires_at=_in(60))[0]["finish_refresh"] is False


@pytest.mark.parametrize(("holder", "lease", "needle"), [
    ("", 30, "holder must name"), ("w", 0, "lease_seconds must be 5..600"),
    ("w", 601, "lease_seconds must be 5..600")])
def test_begin_refuses_bad_arguments(svc: psycopg.Connection[Any], holder: str, lease: int,
                                     needle: str) -> None:
    store(svc)
    with pytest.raises(psycopg.Error, match=needle):
        begin(svc, holder, 1, lease=lease)


def test_missing_grant(svc: psycopg.Connection[Any]) -> None:
    assert begin(svc, "w1", None)["outcome"] == "missing"


def test_release_keeps_the_grant_active(svc: psycopg.Connection[Any]) -> None:
    store(svc)
    begin(svc, "w1", 1)
    assert call(svc, "release_refresh", provider="freee", holder="w1",
                reason="token endpoint answered 503")[0]["release_refresh"] is True
    row = call(svc, "grant_status")[0]
    assert row["status"] == "active" and row["last_error"] == "token endpoint answered 503"
    assert begin(svc, "w2", 1)["outcome"] == "acquired"


def _alerts(svc: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    return [r[0] for r in svc.execute(
        "select payload from jobs.jobs where job_type = 'alert_notify'").fetchall()]


def test_fail_revokes_once_with_one_alert_naming_the_command(svc: psycopg.Connection[Any]) -> None:
    store(svc)
    begin(svc, "w1", 1)
    assert call(svc, "fail_refresh", provider="freee", holder="w1", generation=1,
                reason="invalid_grant")[0]["fail_refresh"] is True
    assert call(svc, "fail_refresh", provider="freee", holder="w1", generation=1,
                reason="invalid_grant")[0]["fail_refresh"] is False
    assert begin(svc, "w2", 1)["outcome"] == "revoked"
    status = call(svc, "grant_status")[0]
    assert status["status"] == "revoked" and status["last_error"] == "invalid_grant"
    [alert] = _alerts(svc)
    assert alert["kind"] == "action_needed" and alert["scope"] == "grant:freee"
    assert "`supajobs auth freee`" in alert["reason"] and "rt-1" not in str(alert)
    # a new consent makes it active again
    assert store(svc, refresh="rt-new")["status"] == "active"


def test_two_racing_refreshers_use_each_refresh_token_once(db_url: str) -> None:
    """Threads on their own connections run the whole protocol against the real database;
    the 'token endpoint' counts each refresh token it receives."""
    with service_connection(db_url) as svc:
        store(svc, refresh="rt-0")
    sent: Counter[str] = Counter()
    lock = threading.Lock()
    errors: list[BaseException] = []

    def refresher(name: str) -> None:
        try:
            with service_connection(db_url) as own:
                for _ in range(5):
                    _refresh_once(own, name, sent, lock)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=refresher, args=(f"w{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sent and max(sent.values()) == 1, sent
    with service_connection(db_url) as svc:
        row = call(svc, "get_grant", provider="freee")[0]
    assert row["generation"] == 1 + len(sent) and row["refresh_token"] == f"rt-{len(sent)}"


def _refresh_once(conn: psycopg.Connection[Any], holder: str, sent: Counter[str],
                  lock: threading.Lock) -> None:
    seen = call(conn, "get_grant", provider="freee")[0]["generation"]
    while True:
        got = begin(conn, holder, seen)
        if got["outcome"] == "rotated":
            return
        if got["outcome"] == "busy":
            time.sleep(0.01)
            continue
        assert got["outcome"] == "acquired"
        with lock:
            sent[got["refresh_token"]] += 1
            number = int(got["refresh_token"].split("-")[1]) + 1
        time.sleep(0.005)  # the token endpoint's round trip
        assert call(conn, "finish_refresh", provider="freee", holder=holder,
                    generation=got["generation"], access_token=f"at-{number}",
                    expires_at=_in(3600), new_refresh_token=f"rt-{number}"
                    )[0]["finish_refresh"] is True
        return
