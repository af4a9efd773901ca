"""Access tokens from the stored grant against the real database, the token endpoints mocked
with respx per RFC 6749: refresh before expiry, one refresh among racing workers, freee's
rotation never sending a refresh token twice, revocation, transient failures."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import psycopg
import pytest
import respx
from pydantic import SecretStr

from supajobs import AsyncJobsClient
from supajobs_receipts.credentials import GrantError, GrantMissingError, GrantRevokedError
from supajobs_receipts.pipeline.grant_rows import NewTokens, Provider
from supajobs_receipts.pipeline.grant_store import GrantStore
from supajobs_receipts.pipeline.grant_tokens import GrantTokens
from supajobs_receipts.pipeline.oauth_settings import OAuthClient
from supajobs_receipts.pipeline.token_endpoint import TokenEndpointUnavailableError
from support.oauth_contract import (
    FREEE_TOKEN,
    GOOGLE_TOKEN,
    check_refresh_request,
    error_response,
    token_response,
)
from support.sdk_clients import postgres_client

SECRET = "client-secret-value"
URLS: dict[Provider, str] = {"google": GOOGLE_TOKEN, "freee": FREEE_TOKEN}


def oauth(provider: Provider) -> OAuthClient:
    return OAuthClient(provider, f"{provider}-client", SecretStr(SECRET))


@pytest.fixture
async def clients(db_url: str) -> AsyncIterator[list[AsyncJobsClient]]:
    made = [postgres_client(db_url) for _ in range(3)]  # three workers, three connections
    yield made
    for c in made:
        await c.aclose()


async def seed(client: AsyncJobsClient, provider: Provider, *, refresh: str = "rt-0",
               access: str = "at-0", expires_in: int = 60) -> None:
    await GrantStore(client).store(provider, "me@example.com", NewTokens(
        access_token=SecretStr(access), refresh_token=SecretStr(refresh),
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=expires_in)))


def tokens(client: AsyncJobsClient, provider: Provider) -> GrantTokens:
    return GrantTokens(GrantStore(client), oauth(provider), poll_seconds=0.02)


def rotating_endpoint(provider: Provider, sent: list[str], delay: float = 0.05
                      ) -> Callable[[httpx.Request], Any]:
    """A freee-like endpoint: each refresh token works once and yields the next."""
    async def answer(request: httpx.Request) -> httpx.Response:
        token = check_refresh_request(request, f"{provider}-client")
        reused = token in sent
        sent.append(token)
        await asyncio.sleep(delay)  # long enough for the other workers to ask meanwhile
        if reused:
            return error_response("invalid_grant", "refresh token already used")
        n = int(token.split("-")[1]) + 1
        return token_response(f"at-{n}", refresh=f"rt-{n}", expires_in=21600)
    return answer


@respx.mock(assert_all_called=False)
async def test_a_token_about_to_expire_is_refreshed_once(clients: list[AsyncJobsClient],
                                                         respx_mock: respx.MockRouter) -> None:
    await seed(clients[0], "google", expires_in=120)  # < 5 minutes left
    route = respx_mock.post(GOOGLE_TOKEN).mock(side_effect=lambda r: (
        check_refresh_request(r, "google-client"), token_response("at-new", expires_in=3599))[1])
    source = tokens(clients[0], "google")
    assert await source.access_token() == "at-new"
    assert await source.access_token() == "at-new"
    assert route.call_count == 1
    row = await GrantStore(clients[0]).get("google")
    assert row is not None and row.generation == 2
    assert row.refresh_token.get_secret_value() == "rt-0"  # Google keeps its refresh token
    assert row.expires_at is not None and row.expires_at > dt.datetime.now(dt.UTC) + \
        dt.timedelta(minutes=55)


@respx.mock(assert_all_called=False)
async def test_a_fresh_token_needs_no_call(clients: list[AsyncJobsClient],
                                           respx_mock: respx.MockRouter) -> None:
    await seed(clients[0], "google", expires_in=3000)
    route = respx_mock.post(GOOGLE_TOKEN)
    assert await tokens(clients[0], "google").access_token() == "at-0"
    assert route.call_count == 0


@respx.mock(assert_all_called=False)
async def test_racing_workers_share_one_rotation(clients: list[AsyncJobsClient],
                                                 respx_mock: respx.MockRouter,
                                                 db_url: str) -> None:
    await seed(clients[0], "freee")
    sent: list[str] = []
    respx_mock.post(FREEE_TOKEN).mock(side_effect=rotating_endpoint("freee", sent))
    workers = [tokens(c, "freee") for c in clients]
    for round_ in range(4):
        got = await asyncio.gather(*(w.access_token() for w in workers))
        assert got == [f"at-{round_ + 1}"] * 3
        assert sent == [f"rt-{n}" for n in range(round_ + 1)]  # one call per expiry
        for w in workers:  # the next round: the token expired for every worker
            w._cached = None
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute("update receipts.oauth_grants set expires_at = now()")
    assert len(sent) == len(set(sent)) == 4  # no refresh token ever sent twice
    row = await GrantStore(clients[1]).get("freee")
    assert row is not None and row.refresh_token.get_secret_value() == "rt-4"


@respx.mock(assert_all_called=False)
async def test_a_rejected_token_is_replaced_once_for_everyone(
        clients: list[AsyncJobsClient], respx_mock: respx.MockRouter) -> None:
    await seed(clients[0], "freee", expires_in=3000)
    sent: list[str] = []
    respx_mock.post(FREEE_TOKEN).mock(side_effect=rotating_endpoint("freee", sent))
    a, b = tokens(clients[0], "freee"), tokens(clients[1], "freee")
    assert await a.access_token() == await b.access_token() == "at-0"
    # both were told 401 for at-0 (revoked early by the provider, say)
    assert await asyncio.gather(a.after_rejection("at-0"), b.after_rejection("at-0")) == \
        ["at-1", "at-1"]
    assert sent == ["rt-0"]


@respx.mock(assert_all_called=False)
async def test_invalid_grant_revokes_alerts_and_says_how_to_reconnect(
        clients: list[AsyncJobsClient], respx_mock: respx.MockRouter,
        caplog: pytest.LogCaptureFixture, db_url: str) -> None:
    caplog.set_level(logging.DEBUG)
    await seed(clients[0], "freee", refresh="rt-secret-0", access="at-secret-0")
    route = respx_mock.post(FREEE_TOKEN).mock(return_value=error_response(
        "invalid_grant", "The provided authorization grant is invalid"))
    source = tokens(clients[0], "freee")
    with pytest.raises(GrantRevokedError, match=r"run `supajobs auth freee` again") as caught:
        await source.access_token()
    with pytest.raises(GrantRevokedError):  # stays revoked: no second call, no loop
        await tokens(clients[1], "freee").access_token()
    assert route.call_count == 1
    [status] = await GrantStore(clients[0]).status()
    assert status.status == "revoked" and "invalid_grant" in (status.last_error or "")
    with psycopg.connect(db_url) as conn:
        alerts = conn.execute("select payload from jobs.jobs where job_type = 'alert_notify'"
                              ).fetchall()
    assert len(alerts) == 1 and "supajobs auth freee" in alerts[0][0]["reason"]
    shown = caplog.text + str(caught.value) + repr(status) + str(alerts)
    for secret in ("rt-secret-0", "at-secret-0", SECRET):
        assert secret not in shown


@pytest.mark.parametrize("answer", [httpx.Response(503, text="<html>busy</html>"),
                                    httpx.ConnectTimeout("slow"),
                                    httpx.Response(200, text="not json")])
async def test_transient_trouble_is_retryable_and_keeps_the_grant(
        clients: list[AsyncJobsClient], answer: Any) -> None:
    await seed(clients[0], "google")
    with respx.mock() as mock:
        mock.post(GOOGLE_TOKEN).mock(side_effect=[answer])
        with pytest.raises(TokenEndpointUnavailableError) as caught:
            await tokens(clients[0], "google").access_token()
    assert isinstance(caught.value, ConnectionError)
    row = await GrantStore(clients[0]).get("google")
    assert row is not None and row.status == "active" and row.lease_holder is None
    assert row.last_error and "rt-0" not in row.last_error
    with respx.mock() as mock:  # the next attempt refreshes at once: no lease left behind
        mock.post(GOOGLE_TOKEN).mock(return_value=token_response("at-1"))
        assert await tokens(clients[1], "google").access_token() == "at-1"


@respx.mock(assert_all_called=False)
async def test_a_misconfigured_client_does_not_revoke_the_grant(
        clients: list[AsyncJobsClient], respx_mock: respx.MockRouter) -> None:
    await seed(clients[0], "google")
    respx_mock.post(GOOGLE_TOKEN).mock(return_value=error_response(
        "invalid_client", "The OAuth client was not found.", status=401))
    with pytest.raises(GrantError, match="SUPAJOBS_GOOGLE_CLIENT_ID") as caught:
        await tokens(clients[0], "google").access_token()
    assert not isinstance(caught.value, GrantRevokedError)
    row = await GrantStore(clients[0]).get("google")
    assert row is not None and row.status == "active" and row.lease_holder is None


async def test_no_grant_means_run_the_consent(clients: list[AsyncJobsClient]) -> None:
    with pytest.raises(GrantMissingError, match="run `supajobs auth google`"):
        await tokens(clients[0], "google").access_token()
