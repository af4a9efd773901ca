"""Helpers for the IMAP tests: scan settings for a test account, sample receipts."""

from __future__ import annotations

import base64

from supajobs_receipts.mail import (
    Extraction,
    ImapSettings,
    ImapSource,
    MailMessage,
    extract_documents,
)
from support.dovecot import DovecotServer, MailAccount
from support.mail_samples import mail, pdf, raw


def source(server: DovecotServer, account: MailAccount, **kw: object) -> ImapSource:
    settings = ImapSettings.model_validate(
        {"host": server.host, "port": server.port, "security": "none",
         "username": account.user, "password": account.password, **kw}
    )  # fmt: skip
    return ImapSource(settings)


def extract(messages: list[MailMessage], **kw: int) -> list[Extraction]:
    return [
        extract_documents(m.email(), raw=m.raw, received_at=m.received_at, **kw) for m in messages
    ]


def two_pdfs(*files: tuple[str, bytes]) -> bytes:
    """A multipart mail built directly (the email generator takes seconds on 26 MB)."""
    parts = b"".join(
        b'--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="'
        + name.encode() + b'"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        + base64.encodebytes(data).replace(b"\n", b"\r\n")
        for name, data in files
    )  # fmt: skip
    head = (b"From: s@x\r\nSubject: two scans\r\nMessage-ID: <h@x>\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n')  # fmt: skip
    return head + parts + b"--b--\r\n"


def receipt(n: int) -> bytes:
    return raw(mail(f"receipt {n}", message_id=f"<r{n}@shop.jp>",
                    attachments=((f"r{n}.pdf", "application/pdf", pdf(str(n))),)))  # fmt: skip
