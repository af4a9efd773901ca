"""What a scan of a real Dovecot mailbox yields: HTML receipts, inline images, size
limits, Japanese names."""

from __future__ import annotations

from collections.abc import Iterator
from email.header import Header

import pytest

from support.dovecot import DovecotServer, MailAccount, running_dovecot
from support.mail_imap import extract, receipt, source, two_pdfs
from support.mail_samples import RECEIPT_HTML, mail, pdf, png, raw


@pytest.fixture(scope="module")
def dovecot() -> Iterator[DovecotServer]:
    with running_dovecot() as server:
        yield server


@pytest.fixture
def account(dovecot: DovecotServer) -> MailAccount:
    return dovecot.add_account()


def test_html_receipt_and_inline_image(dovecot: DovecotServer, account: MailAccount) -> None:
    dovecot.append(account, raw(mail("ご注文の確認", message_id="<o@x>", html=RECEIPT_HTML)))
    photo = png(40_000)
    dovecot.append(account, raw(mail("写真", message_id="<p@x>", html="<p>see</p>",
                                     inline=(("image/png", photo),))))  # fmt: skip
    messages, _ = source(dovecot, account).fetch_new(None)
    html_doc, image_doc = (e.documents[0] for e in extract(messages))
    assert (html_doc.filename, html_doc.content_type) == ("ご注文の確認.html", "text/html")
    assert "合計" in html_doc.data.decode()
    assert (image_doc.content_type, image_doc.data) == ("image/png", photo)


def test_oversized_attachment_is_reported_and_the_mail_not_lost(
    dovecot: DovecotServer, account: MailAccount
) -> None:
    big = pdf("big") + b"x" * 3_000_000
    files = (("big.pdf", "application/pdf", big),)
    dovecot.append(account, raw(mail("big", message_id="<b@x>", attachments=files)))
    messages, checkpoint = source(dovecot, account).fetch_new(None)
    [found] = extract(messages, max_bytes=1_000_000)
    assert found.documents == []
    [skip] = found.skipped
    assert (skip.message_id, skip.filename) == ("<b@x>", "big.pdf")
    assert "above the 1.0 MB limit" in skip.reason
    assert checkpoint.last_uid == 1


def test_japanese_subject_filename_and_folder(dovecot: DovecotServer, account: MailAccount) -> None:
    msg = mail("x", message_id="<jp@x>",
               attachments=(("領収書_2024年6月.pdf", "application/pdf", pdf("jp")),))  # fmt: skip
    msg.replace_header("Subject", Header("【領収書】6月分のご利用", "iso-2022-jp").encode())
    dovecot.create_mailbox(account, "&mBhTzmb4-")  # 領収書, as sent on the wire
    dovecot.append(account, raw(msg), mailbox="&mBhTzmb4-")
    messages, _ = source(dovecot, account, mailbox="領収書").fetch_new(None)
    [message] = messages
    assert message.subject == "【領収書】6月分のご利用"
    assert extract(messages)[0].documents[0].filename == "領収書_2024年6月.pdf"


def test_mail_above_the_default_limit_passes_through_and_is_reported(
    dovecot: DovecotServer, account: MailAccount
) -> None:
    huge = pdf("huge") + bytes(26 * 1024 * 1024)
    dovecot.append(account, two_pdfs(("scan.pdf", huge), ("r.pdf", pdf("r"))))
    dovecot.append(account, receipt(2))
    messages, checkpoint = source(dovecot, account).fetch_new(None)
    assert checkpoint.last_uid == 2
    first, second = extract(messages)
    assert [d.filename for d in first.documents] == ["r.pdf"]
    assert "26.0 MB is above the 25.0 MB limit" in first.skipped[0].reason
    assert [d.filename for d in second.documents] == ["r2.pdf"]
