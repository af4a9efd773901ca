"""A real Dovecot IMAP server for tests: unprivileged, on free high ports, in a tmp dir.

    with running_dovecot() as server:
        account = server.add_account()
        server.append(account, raw_mail_bytes)

It serves plain IMAP (and STARTTLS) on `port`, implicit TLS on `tls_port` with a
self-signed certificate (`ca_file`), password logins from a passwd-file, and XOAUTH2
through Dovecot's oauth2 passdb against a local token-info endpoint.
Fixtures to import into a conftest: `dovecot` (session) and `mail_account` (per test).
"""

from __future__ import annotations

import imaplib
import itertools
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support.dovecot_config import Identity, make_certificate, render
from support.dovecot_oauth import TokenInfoServer
from support.dovecot_process import DOVECOT, doveadm, free_port, log_tail, start, stop

_names = itertools.count(1)


@dataclass(frozen=True)
class MailAccount:
    user: str
    password: str
    token: str


@dataclass
class DovecotServer:
    root: Path
    port: int
    tls_port: int
    process: subprocess.Popen[bytes]
    tokens: TokenInfoServer
    host: str = "127.0.0.1"
    accounts: list[MailAccount] = field(default_factory=list)

    @property
    def ca_file(self) -> Path:
        return self.root / "cert.pem"

    def add_account(self) -> MailAccount:
        """A fresh user with an empty mailbox. One passwd-file per user: Dovecot rereads a
        changed passwd-file only when its mtime moves, which is too coarse for tests."""
        n = next(_names)
        account = MailAccount(
            f"user{n}", f"pw-{secrets.token_hex(6)}", f"tok-{n}-{secrets.token_hex(8)}"
        )
        entry = self.root / "users" / account.user
        entry.write_text(f"{account.user}:{{PLAIN}}{account.password}::::::\n")
        entry.chmod(0o644)
        self.tokens.tokens[account.token] = account.user
        self.accounts.append(account)
        return account

    def _login(self, account: MailAccount) -> imaplib.IMAP4:
        conn = imaplib.IMAP4(self.host, self.port, timeout=10)
        conn.login(account.user, account.password)
        return conn

    def append(self, account: MailAccount, raw: bytes, mailbox: str = "INBOX") -> int:
        """Deliver a message by IMAP APPEND; returns the UID the server gave it."""
        conn = self._login(account)
        try:
            typ, data = conn.append(_quote(mailbox), "", None, raw)
            assert typ == "OK", data
            found = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
            assert found, data
            return int(found.group(1))
        finally:
            conn.logout()

    def create_mailbox(self, account: MailAccount, name: str) -> None:
        conn = self._login(account)
        try:
            typ, data = conn.create(name)
            assert typ == "OK", data
        finally:
            conn.logout()

    def set_uidvalidity(self, account: MailAccount, value: int, mailbox: str = "INBOX") -> None:
        """Change a mailbox's UIDVALIDITY, as a server does when it rebuilds a mailbox."""
        doveadm(self.root / "dovecot.conf", "mailbox", "update", "-u", account.user,
                "--uid-validity", str(value), mailbox)  # fmt: skip

    def log_tail(self, lines: int = 30) -> str:
        return log_tail(self.root / "dovecot.log", lines)


def _quote(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextmanager
def running_dovecot() -> Iterator[DovecotServer]:
    if not os.path.exists(DOVECOT):
        pytest.skip("dovecot is not installed (Debian package dovecot-imapd)")
    who = Identity.current()
    root = Path(tempfile.mkdtemp(prefix="supajobs-dovecot-"))
    root.chmod(0o755)  # the unprivileged login and mail processes must reach it
    (root / "mail").mkdir()
    os.chown(root / "mail", who.mail_uid, who.mail_gid)
    (root / "users").mkdir(mode=0o755)
    make_certificate(root)
    tokens = TokenInfoServer()
    tokens.start()
    port, tls_port = free_port(), free_port()
    conf = render(root, who, port=port, tls_port=tls_port, tokeninfo_url=tokens.url)
    try:
        process = start(conf, "127.0.0.1", port)
        try:
            yield DovecotServer(root, port, tls_port, process, tokens)
        finally:
            stop(process)
    finally:
        tokens.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    with running_dovecot() as server:
        yield server


@pytest.fixture
def mail_account(dovecot: DovecotServer) -> MailAccount:
    return dovecot.add_account()
