"""Japanese subjects and filenames (RFC 2047 / RFC 2231) decoded; names made safe."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from email.header import Header

import pytest

from supajobs_receipts.mail import MailMessage, extract_documents
from supajobs_receipts.mail.filenames import MAX_NAME_BYTES, safe_filename
from supajobs_receipts.mail.model import parse_email
from support.mail_samples import pdf

WHEN = datetime(2024, 6, 20, tzinfo=UTC)


def _mail(subject_header: str, disposition: str) -> bytes:
    body = base64.b64encode(pdf("jp")).decode()
    return (
        f"From: =?UTF-8?B?5qCq5byP5Lya56S+44OG44K544OI?= <shop@example.jp>\r\n"
        f"Subject: {subject_header}\r\nMessage-ID: <jp@example.jp>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhi\r\n"
        f"--b\r\nContent-Type: application/pdf\r\n{disposition}\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{body}\r\n--b--\r\n"
    ).encode("ascii")


def test_iso_2022_jp_subject_and_rfc2231_filename_are_decoded() -> None:
    subject = Header("領収書のご送付【6月分】", "iso-2022-jp").encode()
    raw = _mail(
        subject,
        "Content-Disposition: attachment;\r\n"
        " filename*=UTF-8''%E9%A0%98%E5%8F%8E%E6%9B%B8"
        "_2024%E5%B9%B46%E6%9C%88.pdf",
    )
    message = MailMessage.from_raw(raw, key="1", received_at=WHEN)
    assert message.subject == "領収書のご送付【6月分】"
    assert message.sender == "株式会社テスト <shop@example.jp>"
    [doc] = extract_documents(message.email(), raw=raw).documents
    assert doc.filename == "領収書_2024年6月.pdf"
    assert doc.subject == "領収書のご送付【6月分】"


def test_rfc2047_encoded_filename_as_sent_by_many_japanese_mailers() -> None:
    encoded = Header("請求書 No.42.pdf", "utf-8").encode()
    raw = _mail(
        "=?UTF-8?B?6KuL5rGC5pu4?=", f'Content-Disposition: attachment; filename="{encoded}"'
    )
    [doc] = extract_documents(parse_email(raw), raw=raw).documents
    assert doc.filename == "請求書 No.42.pdf"


def test_rfc2231_continuations_with_shift_jis() -> None:
    raw = _mail(
        "x",
        "Content-Disposition: attachment;\r\n filename*0*=shift_jis''%97%CC%8E%FB;"
        "\r\n filename*1*=%8F%91.pdf",
    )
    [doc] = extract_documents(parse_email(raw), raw=raw).documents
    assert doc.filename == "領収書.pdf"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\receipt.pdf", "receipt.pdf"),
        ("..", "attachment.pdf"),
        ("a\x00b\r\nc?.pdf", "a_b_c_.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("ｶﾞ.pdf", "ｶﾞ.pdf"),  # NFC keeps half-width kana (NFKC would change it)
        ("invoice.txt", "invoice.txt.pdf"),
        ("photo.JPEG", "photo.jpg"),
        (None, "attachment.pdf"),
    ],
)
def test_safe_filename(raw: str | None, expected: str) -> None:
    ext = ".jpg" if expected.endswith(".jpg") else ".pdf"
    assert safe_filename(raw, fallback="attachment", extension=ext) == expected


def test_decomposed_japanese_is_normalised_to_nfc() -> None:
    decomposed = "ガス代.pdf".replace("ガ", "カ\u3099")
    assert safe_filename(decomposed, fallback="a", extension=".pdf") == "ガス代.pdf"


def test_long_names_are_cut_on_a_character_boundary() -> None:
    name = safe_filename("領" * 200 + ".pdf", fallback="a", extension=".pdf")
    assert name.endswith(".pdf")
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert set(name[:-4]) == {"領"}
