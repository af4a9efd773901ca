"""Incremental scans of a real Dovecot mailbox: found once, checkpoint kept, resets safe."""

from __future__ import annotations

import imaplib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from supajobs_receipts.mail import Checkpoint
from support.dovecot import DovecotServer, MailAccount, running_dovecot
from support.mail_imap import extract, receipt, source
from support.mail_samples import NEWSLETTER_HTML, mail, raw


@pytest.fixture(scope="module")
def dovecot() -> Iterator[DovecotServer]:
    with running_dovecot() as server:
        yield server


@pytest.fixture
def account(dovecot: DovecotServer) -> MailAccount:
    return dovecot.add_account()


def test_new_mail_is_found_once_and_checkpoint_is_respected(
    dovecot: DovecotServer, account: MailAccount
) -> None:
    dovecot.append(account, receipt(1))
    dovecot.append(account, raw(mail("news", message_id="<n@x>", html=NEWSLETTER_HTML)))
    messages, checkpoint = source(dovecot, account).fetch_new(None)
    assert [m.subject for m in messages] == ["receipt 1", "news"]
    assert [m.uid for m in messages] == [1, 2]
    docs = [d for e in extract(messages) for d in e.documents]
    assert [(d.filename, d.message_id) for d in docs] == [("r1.pdf", "<r1@shop.jp>")]
    assert checkpoint.last_uid == 2

    # The stored checkpoint (JSON) is all a later run, in a new process, needs.
    stored = Checkpoint.model_validate_json(checkpoint.model_dump_json())
    again, same = source(dovecot, account).fetch_new(stored)
    assert again == []
    assert same == checkpoint

    dovecot.append(account, receipt(3))
    messages, checkpoint = source(dovecot, account).fetch_new(stored)
    assert [m.subject for m in messages] == ["receipt 3"]
    assert checkpoint.last_uid == 3


def test_scan_leaves_mail_unread(dovecot: DovecotServer, account: MailAccount) -> None:
    dovecot.append(account, receipt(1))
    source(dovecot, account).fetch_new(None)
    conn = imaplib.IMAP4(dovecot.host, dovecot.port)
    conn.login(account.user, account.password)
    conn.select("INBOX", readonly=True)
    assert conn.uid("SEARCH", "UNSEEN")[1] == [b"1"]
    conn.logout()


def test_uidvalidity_change_rescans_from_the_start(
    dovecot: DovecotServer, account: MailAccount
) -> None:
    dovecot.append(account, receipt(1))
    dovecot.append(account, receipt(2))
    first, checkpoint = source(dovecot, account).fetch_new(None)
    dovecot.set_uidvalidity(account, checkpoint.uidvalidity + 1000)
    again, reset = source(dovecot, account).fetch_new(checkpoint)
    assert reset == Checkpoint(uidvalidity=checkpoint.uidvalidity + 1000, last_uid=2)
    assert [m.subject for m in again] == ["receipt 1", "receipt 2"]
    # Same idempotency keys as the first scan, so downstream enqueues nothing twice.
    keys = [[d.idempotency_key for d in e.documents] for e in extract(first)]
    assert keys == [[d.idempotency_key for d in e.documents] for e in extract(again)]
    assert source(dovecot, account).fetch_new(reset)[0] == []


def test_empty_mailbox_and_mailbox_without_receipts(
    dovecot: DovecotServer, account: MailAccount
) -> None:
    messages, checkpoint = source(dovecot, account).fetch_new(None)
    assert messages == []
    assert checkpoint.last_uid == 0
    dovecot.append(account, raw(mail("hello", message_id="<h@x>", text="just saying hi")))
    messages, checkpoint = source(dovecot, account).fetch_new(checkpoint)
    assert len(messages) == 1
    assert checkpoint.last_uid == 1
    assert [e.documents for e in extract(messages)] == [[]]


def test_max_messages_per_run_resumes(dovecot: DovecotServer, account: MailAccount) -> None:
    for n in range(5):
        dovecot.append(account, receipt(n))
    scan = source(dovecot, account, max_messages=2, fetch_batch=1)
    seen: list[str] = []
    checkpoint = None
    for _ in range(4):
        messages, checkpoint = scan.fetch_new(checkpoint)
        seen += [m.subject for m in messages]
    assert seen == [f"receipt {n}" for n in range(5)]


def test_since_limits_every_run_to_recent_mail(
    dovecot: DovecotServer, account: MailAccount
) -> None:
    dovecot.append(account, receipt(1))  # received today
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date()
    messages, checkpoint = source(dovecot, account, since=tomorrow).fetch_new(None)
    assert messages == []
    assert source(dovecot, account, since=tomorrow).fetch_new(checkpoint)[0] == []
    recent = source(dovecot, account, since=date(2020, 1, 1)).fetch_new(checkpoint)[0]
    assert [m.subject for m in recent] == ["receipt 1"]
