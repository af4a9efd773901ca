"""Sample mails for the mail tests: receipts as attachments, inline images, HTML bodies."""

from __future__ import annotations

import os
from email import policy
from email.message import EmailMessage

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff\xe0"

RECEIPT_HTML = """<html><body><h1>領収書</h1><p>ご注文ありがとうございます。</p>
<table><tr><td>合計</td><td>\uffe5\uff11\uff0c\uff12\uff13\uff14</td></tr></table></body></html>"""
NEWSLETTER_HTML = "<html><body><h1>今週のお知らせ</h1><p>新機能を公開しました。</p></body></html>"


def pdf(tag: str = "") -> bytes:
    """A distinct PDF per tag, so sha256s differ."""
    return PDF + f"% {tag}\n".encode()


def png(size: int = 20_000, seed: bytes = b"") -> bytes:
    return PNG_MAGIC + seed + os.urandom(max(0, size - len(PNG_MAGIC) - len(seed)))


def jpeg(size: int = 20_000) -> bytes:
    return JPEG_MAGIC + os.urandom(size - len(JPEG_MAGIC))


def mail(
    subject: str = "Your receipt",
    *,
    sender: str = "Shop <shop@example.jp>",
    message_id: str | None = "<m1@example.jp>",
    text: str = "Thank you.",
    html: str | None = None,
    attachments: tuple[tuple[str | None, str, bytes], ...] = (),
    inline: tuple[tuple[str, bytes], ...] = (),
    date: str = "Thu, 20 Jun 2024 10:00:00 +0900",
) -> EmailMessage:
    """A mail with a text (and optional HTML) body, attachments (filename, type, data)
    and inline images (type, data)."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = "me@example.jp"
    msg["Subject"] = subject
    msg["Date"] = date
    if message_id:
        msg["Message-ID"] = message_id
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for ctype, data in inline:
        maintype, subtype = ctype.split("/")
        body = msg.get_body(preferencelist=("html", "plain"))
        assert body is not None
        body.add_related(data, maintype=maintype, subtype=subtype, disposition="inline")
    for filename, ctype, data in attachments:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def raw(msg: EmailMessage) -> bytes:
    return msg.as_bytes(policy=policy.SMTP)
