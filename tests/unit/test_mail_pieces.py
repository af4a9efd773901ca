"""Small pieces of the mail side: receipt-like HTML, IMAP wire formats, settings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import SecretStr, ValidationError

from supajobs_receipts.mail import Checkpoint, ImapSettings
from supajobs_receipts.mail.imap_connect import _xoauth2_responder
from supajobs_receipts.mail.imap_names import encode_mailbox, imap_date, internaldate
from supajobs_receipts.mail.imap_settings import xoauth2_string
from supajobs_receipts.mail.receipt_html import is_receipt_like


@pytest.mark.parametrize(
    "markup",
    [
        "<h1>領収書</h1>",
        "<p>Thank you! Here is your <b>Receipt</b></p>",
        "<p>Invoice #42</p>",
        "<td>ご請求金額</td><td>3,300円</td>",
        "<td>合計</td><td>\uffe5\uff11\uff0c\uff10\uff10\uff10</td>",  # full-width yen 1,000
        "<td>Total</td><td>$12.00</td>",
    ],
)
def test_receipt_like_html(markup: str) -> None:
    assert is_receipt_like(f"<html><body>{markup}</body></html>")


@pytest.mark.parametrize(
    "markup",
    [
        "<h1>今週のお知らせ</h1><p>新機能を公開しました</p>",
        "<p>Total downloads this week: many</p>",  # a total word without money
        "<p>セール開催中 1,000円引き</p>",  # money without a total word
        "<style>.receipt{color:red}</style><p>hello</p>",  # keywords in CSS do not count
    ],
)
def test_not_receipt_like_html(markup: str) -> None:
    assert not is_receipt_like(f"<html><body>{markup}</body></html>")


@pytest.mark.parametrize(
    ("name", "wire"),
    [
        ("INBOX", '"INBOX"'),
        ("Receipts 2024", '"Receipts 2024"'),
        ("領収書", '"&mBhTzmb4-"'),
        ("[Gmail]/すべてのメール", '"[Gmail]/&MFkweTBmMG4w4TD8MOs-"'),
        ("A&B", '"A&-B"'),
        ('say "hi"', '"say \\"hi\\""'),
    ],
)
def test_mailbox_names_in_modified_utf7(name: str, wire: str) -> None:
    assert encode_mailbox(name) == wire


def test_internaldate_is_parsed_to_utc() -> None:
    head = b'1 (UID 7 INTERNALDATE " 2-Jun-2024 09:30:00 +0900" BODY[] {10}'
    assert internaldate(head) == datetime(2024, 6, 2, 0, 30, tzinfo=UTC)
    assert internaldate(b"1 (UID 7 BODY[] {10}") is None


def test_search_dates_use_english_months() -> None:
    assert imap_date(date(2024, 6, 1)) == "1-Jun-2024"
    assert imap_date(date(2025, 12, 31)) == "31-Dec-2025"


def test_settings_need_exactly_one_credential() -> None:
    with pytest.raises(ValidationError, match="exactly one of password, oauth2_token or oauth_provider"):
        ImapSettings(host="h", username="u")
    with pytest.raises(ValidationError, match="exactly one of password, oauth2_token or oauth_provider"):
        ImapSettings(host="h", username="u", password=SecretStr("p"), oauth2_token=SecretStr("t"))


def test_settings_default_ports_and_hide_secrets() -> None:
    ssl = ImapSettings(
        host="imap.gmail.com", username="u@gmail.com", oauth2_token=SecretStr("ya29.x")
    )
    assert ssl.address == "imap.gmail.com:993"
    assert "ya29" not in repr(ssl)
    plain = ImapSettings(host="h", username="u", password=SecretStr("p"), security="starttls")
    assert plain.effective_port == 143


def test_xoauth2_initial_response_is_the_sasl_string() -> None:
    assert xoauth2_string("me@gmail.com", "ya29.tok") == (
        b"user=me@gmail.com\x01auth=Bearer ya29.tok\x01\x01"
    )


def test_xoauth2_answers_an_error_challenge_with_an_empty_reply() -> None:
    respond = _xoauth2_responder(b"user=u\x01auth=Bearer t\x01\x01")
    assert respond(b"") == b"user=u\x01auth=Bearer t\x01\x01"
    # Gmail's failure: a base64 JSON challenge the client must acknowledge with "".
    assert respond(b'{"status":"400","schemes":"Bearer"}') == b""


def test_checkpoint_rejects_negative_values() -> None:
    with pytest.raises(ValidationError):
        Checkpoint(uidvalidity=1, last_uid=-1)
