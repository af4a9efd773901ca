"""Values passed between the mail sources, the extractor and the email_scan handler."""

from __future__ import annotations

import hashlib
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from pydantic import BaseModel, ConfigDict, Field

_FROZEN = ConfigDict(frozen=True)


class Checkpoint(BaseModel):
    """Where an IMAP scan stopped: UIDs are only comparable within one UIDVALIDITY."""

    model_config = _FROZEN
    uidvalidity: int = Field(ge=0)
    last_uid: int = Field(ge=0)


class MaildirCheckpoint(BaseModel):
    """Where a Maildir scan stopped: Maildir has no UIDs, so the processed unique keys."""

    model_config = _FROZEN
    seen: frozenset[str] = frozenset()


class MailMessage(BaseModel):
    """One raw message as fetched, with the headers the pipeline needs decoded."""

    model_config = _FROZEN
    key: str  # the IMAP UID as text, or the Maildir unique name
    uid: int | None = None
    message_id: str
    subject: str
    sender: str
    received_at: datetime
    raw: bytes

    def email(self) -> EmailMessage:
        return parse_email(self.raw)

    @classmethod
    def from_raw(
        cls, raw: bytes, *, key: str, received_at: datetime, uid: int | None = None
    ) -> MailMessage:
        msg = parse_email(raw, headers_only=True)  # the body is parsed when extracted
        return cls(
            key=key,
            uid=uid,
            message_id=message_id_of(msg, raw),
            subject=header_text(msg, "Subject"),
            sender=header_text(msg, "From"),
            received_at=received_at,
            raw=raw,
        )


class MailDocument(BaseModel):
    """A file taken from a mail: an attachment, an inline image or a receipt-like HTML body."""

    model_config = _FROZEN
    message_id: str
    subject: str
    sender: str
    received_at: datetime | None
    filename: str
    content_type: str
    data: bytes
    sha256: str

    @property
    def idempotency_key(self) -> str:
        return f"{self.message_id}:{self.sha256}"


class SkippedDocument(BaseModel):
    """A part that looked like a document but was not taken, and why."""

    model_config = _FROZEN
    message_id: str
    filename: str
    content_type: str
    size: int
    reason: str


class Extraction(BaseModel):
    model_config = _FROZEN
    documents: list[MailDocument] = []
    skipped: list[SkippedDocument] = []


def parse_email(raw: bytes, *, headers_only: bool = False) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(raw, headersonly=headers_only)
    assert isinstance(parsed, EmailMessage)  # policy.default always builds EmailMessage
    return parsed


def header_text(msg: EmailMessage, name: str) -> str:
    """The decoded header (RFC 2047), or the raw text when the encoding is broken."""
    try:
        value = msg.get(name)
        return "" if value is None else " ".join(str(value).split())
    except (ValueError, LookupError, TypeError):
        raw = msg.get_all(name) or [""]
        return str(raw[0])


def message_id_of(msg: EmailMessage, raw: bytes | None = None) -> str:
    """The Message-ID; a stable stand-in from the content when the mail has none."""
    found = header_text(msg, "Message-ID").strip()
    if found:
        return found
    content = raw if raw is not None else msg.as_bytes()
    return f"<sha256-{hashlib.sha256(content).hexdigest()}@supajobs.invalid>"
