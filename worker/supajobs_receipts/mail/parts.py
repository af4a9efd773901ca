"""Walking a mail's MIME tree for the parts that may be receipt documents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage

from .filenames import decode_words
from .receipt_html import is_receipt_like
from .sniff import EXTENSIONS, declared_type, sniffed_type


@dataclass(frozen=True)
class Candidate:
    index: int
    part: EmailMessage
    filename: str | None
    content_type: str
    declared: str  # "" for an image type we cannot read (HEIC, GIF, WebP, TIFF)
    inline: bool
    size: int  # decoded size, estimated from the encoded payload before decoding it

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.declared]

    def data(self) -> bytes:
        payload = self.part.get_payload(decode=True)
        return payload if isinstance(payload, bytes) else b""

    @staticmethod
    def sniffed(data: bytes) -> str | None:
        return sniffed_type(data)


def receipt_html_body(msg: EmailMessage) -> EmailMessage | None:
    """The HTML body when it reads like a receipt (text bodies are not taken)."""
    body = msg.get_body(preferencelist=("html",))
    if not isinstance(body, EmailMessage) or body.get_content_type() != "text/html":
        return None
    try:
        markup = body.get_content()
    except (LookupError, UnicodeError, ValueError):
        return None
    return body if isinstance(markup, str) and is_receipt_like(markup) else None


def candidates(msg: EmailMessage, html_body: EmailMessage | None) -> Iterator[Candidate]:
    """Every leaf part that declares PDF, JPEG or PNG, inline or attached."""
    text_body = msg.get_body(preferencelist=("plain",))
    for index, part in enumerate(msg.walk()):
        if part.is_multipart() or part is html_body or part is text_body:
            continue
        assert isinstance(part, EmailMessage)
        filename = _filename(part)
        ctype = part.get_content_type()
        declared = declared_type(ctype, filename or "")
        if declared is None and not ctype.startswith("image/"):
            continue  # not a document type at all (text, calendar, signature, archive)
        yield Candidate(
            index=index,
            part=part,
            filename=filename,
            content_type=ctype,
            declared=declared or "",
            inline=declared != "application/pdf" and part.get_content_disposition() != "attachment",
            size=_decoded_size(part),
        )


def _filename(part: EmailMessage) -> str | None:
    """The filename (RFC 2231 via the email package, RFC 2047 words decoded too)."""
    try:
        name = part.get_filename() or part.get_param("name", header="content-type")
    except (LookupError, ValueError, UnicodeError):
        return None
    if isinstance(name, tuple):  # an undecodable RFC 2231 value: (charset, lang, text)
        name = name[2]
    return decode_words(str(name)) if name else None


def _decoded_size(part: EmailMessage) -> int:
    encoded = part.get_payload(decode=False)
    if not isinstance(encoded, str):
        return 0
    if part.get("Content-Transfer-Encoding", "").strip().lower() == "base64":
        return len("".join(encoded.split())) * 3 // 4
    return len(encoded)
