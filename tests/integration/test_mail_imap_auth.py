"""Reaching a real Dovecot: password and XOAUTH2, TLS and STARTTLS, and clear errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from supajobs_receipts.mail import (
    ImapSettings,
    ImapSource,
    MailAuthError,
    MailboxMissingError,
    MailConnectionError,
)
from support.dovecot import DovecotServer, MailAccount, running_dovecot
from support.dovecot_process import free_port
from support.mail_samples import mail, pdf, raw


@pytest.fixture(scope="module")
def dovecot() -> Iterator[DovecotServer]:
    with running_dovecot() as server:
        yield server


@pytest.fixture
def account(dovecot: DovecotServer) -> MailAccount:
    created = dovecot.add_account()
    files = (("r.pdf", "application/pdf", pdf()),)
    dovecot.append(created, raw(mail("receipt", message_id="<r@x>", attachments=files)))
    return created


def settings(server: DovecotServer, account: MailAccount, **kw: object) -> ImapSettings:
    base: dict[str, object] = {"host": server.host, "port": server.port, "security": "none",
                               "username": account.user, "password": account.password}  # fmt: skip
    return ImapSettings.model_validate({**base, **kw})


def subjects(config: ImapSettings) -> list[str]:
    return [m.subject for m in ImapSource(config).fetch_new(None)[0]]


def test_xoauth2_token_is_accepted(dovecot: DovecotServer, account: MailAccount) -> None:
    config = settings(dovecot, account, password=None, oauth2_token=account.token)
    assert subjects(config) == ["receipt"]


def test_bad_xoauth2_token_is_an_auth_error(dovecot: DovecotServer, account: MailAccount) -> None:
    config = settings(dovecot, account, password=None, oauth2_token=SecretStr("expired-token"))
    with pytest.raises(
        MailAuthError, match=f"rejected the XOAUTH2 token for user '{account.user}'"
    ):
        ImapSource(config).fetch_new(None)


def test_bad_password_is_an_auth_error(dovecot: DovecotServer, account: MailAccount) -> None:
    config = settings(dovecot, account, password=SecretStr("wrong"))
    with pytest.raises(MailAuthError, match=r"rejected the password .*AUTHENTICATIONFAILED") as err:
        ImapSource(config).fetch_new(None)
    assert err.value.retryable is False
    assert "wrong" not in str(err.value)


def test_implicit_tls_with_the_servers_ca(dovecot: DovecotServer, account: MailAccount) -> None:
    config = settings(dovecot, account, security="ssl", port=dovecot.tls_port,
                      ca_file=str(dovecot.ca_file))  # fmt: skip
    assert subjects(config) == ["receipt"]


def test_starttls_with_the_servers_ca(dovecot: DovecotServer, account: MailAccount) -> None:
    config = settings(dovecot, account, security="starttls", ca_file=str(dovecot.ca_file))
    assert subjects(config) == ["receipt"]


def test_untrusted_certificate_is_a_connection_error(
    dovecot: DovecotServer, account: MailAccount
) -> None:
    config = settings(dovecot, account, security="ssl", port=dovecot.tls_port)
    with pytest.raises(MailConnectionError, match="TLS certificate not trusted"):
        ImapSource(config).fetch_new(None)


def test_server_down_is_a_retryable_connection_error(account: MailAccount) -> None:
    port = free_port()  # nothing listens there
    config = ImapSettings(host="127.0.0.1", port=port, security="none", username=account.user,
                          password=SecretStr(account.password), timeout=5)  # fmt: skip
    with pytest.raises(MailConnectionError, match=f"127.0.0.1:{port}.*connection refused") as err:
        ImapSource(config).fetch_new(None)
    assert err.value.retryable is True


def test_unknown_host_is_a_connection_error(account: MailAccount) -> None:
    config = ImapSettings(host="imap.invalid", username="u", password=SecretStr("p"), timeout=5)
    with pytest.raises(MailConnectionError, match=r"imap\.invalid:993"):
        ImapSource(config).fetch_new(None)


def test_missing_mailbox_is_a_clear_error(dovecot: DovecotServer, account: MailAccount) -> None:
    config = settings(dovecot, account, mailbox="Receipts/2024")
    with pytest.raises(MailboxMissingError, match=r"mailbox 'Receipts/2024' .* cannot be opened"):
        ImapSource(config).fetch_new(None)
