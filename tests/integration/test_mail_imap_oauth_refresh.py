"""IMAP XOAUTH2 against a real Dovecot with tokens that expire: the login is retried once with
a refreshed token, and email_scan takes its token from the stored Google grant (the Google
token endpoint mocked per RFC 6749). A revoked grant ends the job for good, with the command
that fixes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import respx
from pydantic import SecretStr

from integration.test_pipeline_support import PDF, books, mail_with, pipeline_env, raw, settings
from supajobs import AsyncJobsClient
from supajobs_dev.demo.sample_receipts import render_pdf
from supajobs_receipts.mail import ImapSettings, ImapSource, MailAuthError
from supajobs_receipts.pipeline.grant_rows import NewTokens
from supajobs_receipts.pipeline.grant_store import GrantStore
from support.dovecot import DovecotServer, MailAccount, running_dovecot
from support.oauth_contract import (
    GOOGLE_TOKEN,
    check_refresh_request,
    error_response,
    token_response,
)


@pytest.fixture(scope="module")
def dovecot() -> Iterator[DovecotServer]:
    with running_dovecot() as server:
        yield server


@pytest.fixture
def account(dovecot: DovecotServer) -> MailAccount:
    made = dovecot.add_account()
    dovecot.append(made, raw(mail_with(1, ("a.pdf", PDF, render_pdf(books())))))
    return made


class Tokens:
    """A TokenSource whose first token the server no longer accepts."""

    provider = "google"

    def __init__(self, first: str, fresh: str) -> None:
        self.current, self.fresh, self.rejected = first, fresh, []  # type: list[str]

    def access_token(self) -> str:
        return self.current

    def after_rejection(self, rejected: str) -> str:
        self.rejected.append(rejected)
        self.current = self.fresh
        return self.fresh


def oauth_imap(server: DovecotServer, account: MailAccount, **kw: object) -> ImapSettings:
    return ImapSettings.model_validate({"host": server.host, "port": server.port,
                                        "security": "none", "username": account.user, **kw})


def test_a_rejected_token_is_refreshed_and_the_login_retried_once(
        dovecot: DovecotServer, account: MailAccount) -> None:
    tokens = Tokens("expired-token", account.token)
    source = ImapSource(oauth_imap(dovecot, account, token_source=tokens))
    messages, _ = source.fetch_new(None)
    assert len(messages) == 1 and messages[0].message_id
    assert tokens.rejected == ["expired-token"]


def test_a_refreshed_token_rejected_again_is_an_auth_error(
        dovecot: DovecotServer, account: MailAccount) -> None:
    tokens = Tokens("expired-token", "also-bad")
    with pytest.raises(MailAuthError, match="also after the token was refreshed") as caught:
        ImapSource(oauth_imap(dovecot, account, token_source=tokens)).fetch_new(None)
    assert tokens.rejected == ["expired-token"] and caught.value.retryable is False
    assert "also-bad" not in str(caught.value)


def test_a_provider_without_a_bound_source_is_a_clear_error(
        dovecot: DovecotServer, account: MailAccount) -> None:
    with pytest.raises(MailAuthError, match="needs a token source"):
        ImapSource(oauth_imap(dovecot, account, oauth_provider="google")).fetch_new(None)


@pytest.fixture
def google_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPAJOBS_GOOGLE_CLIENT_ID", "google-client")
    monkeypatch.setenv("SUPAJOBS_GOOGLE_CLIENT_SECRET", "google-secret")


async def _seed(client: AsyncJobsClient, access: str, expires_in: int) -> None:
    await GrantStore(client).store("google", "me@example.com", NewTokens(
        access_token=SecretStr(access), refresh_token=SecretStr("rt-google"),
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=expires_in)))


@pytest.mark.usefixtures("google_client")
@pytest.mark.parametrize(("stored", "expires_in", "why"), [
    ("old-token", 60, "expiring: refreshed before connecting"),
    ("revoked-early", 3000, "looks fresh, the server refuses it: refreshed after the 401")])
async def test_email_scan_with_the_stored_google_grant(
        db_url: str, tmp_path: Path, dovecot: DovecotServer, account: MailAccount,
        stored: str, expires_in: int, why: str) -> None:
    config = settings(tmp_path, imap=oauth_imap(dovecot, account, oauth_provider="google"))
    async with pipeline_env(db_url, config) as env:
        await _seed(env.client, stored, expires_in)
        with respx.mock() as mock:
            route = mock.post(GOOGLE_TOKEN).mock(side_effect=lambda r: (
                check_refresh_request(r, "google-client"),
                token_response(account.token, expires_in=3599))[1])
            await env.client.enqueue("email_scan")
            (ran,) = await env.drain("email_scan")
        assert ran.ok, ran.error
        assert ran.result["documents"] == 1 and route.call_count == 1, why
        grant = await GrantStore(env.client).get("google")
        assert grant is not None and grant.access_token is not None
        assert grant.access_token.get_secret_value() == account.token and grant.generation == 2


@pytest.mark.usefixtures("google_client")
async def test_a_revoked_google_grant_dead_letters_the_scan_with_the_fix(
        db_url: str, tmp_path: Path, dovecot: DovecotServer, account: MailAccount) -> None:
    config = settings(tmp_path, imap=oauth_imap(dovecot, account, oauth_provider="google"))
    async with pipeline_env(db_url, config) as env:
        await _seed(env.client, "old-token", 30)
        with respx.mock() as mock:
            mock.post(GOOGLE_TOKEN).mock(return_value=error_response(
                "invalid_grant", "Token has been expired or revoked."))
            await env.client.enqueue("email_scan")
            (ran,) = await env.drain("email_scan")
        assert not ran.ok and ran.final.status == "dead"
        assert "supajobs auth google" in ran.error
        for secret in ("old-token", "rt-google", "google-secret"):
            assert secret not in ran.error
    with psycopg.connect(db_url) as conn:
        [(reason,)] = conn.execute("select payload->>'reason' from jobs.jobs "
                                   "where job_type = 'alert_notify'").fetchall()
    assert "supajobs auth google" in reason
