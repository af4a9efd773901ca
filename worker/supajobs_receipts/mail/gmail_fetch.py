"""Fetching messages by id (format=raw, so the extractor sees attachments and HTML bodies
exactly as IMAP would deliver them)."""

from __future__ import annotations

import base64
import binascii
import logging
from datetime import UTC, datetime

from supajobs_receipts.mail.errors import MailProtocolError
from supajobs_receipts.mail.gmail_api import GmailApi
from supajobs_receipts.mail.model import MailMessage

log = logging.getLogger(__name__)


def fetch_messages(api: GmailApi, ids: list[str], done_label: str | None) -> list[MailMessage]:
    """The messages, skipping those deleted since they were listed (404) and those that
    already carry the processed label (taken by an earlier run whose checkpoint was lost)."""
    messages = []
    for message_id in ids:
        found = api.raw_message(message_id)
        if found is None:
            log.info("gmail message %s was deleted before it could be fetched; skipped",
                     message_id)
            continue
        if done_label is not None and done_label in found.get("labelIds", []):
            continue
        messages.append(_message(message_id, found))
    return messages


def _message(message_id: str, found: dict[str, object]) -> MailMessage:
    text = found.get("raw")
    if not isinstance(text, str):
        raise MailProtocolError(f"gmail message {message_id} came without its raw content")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise MailProtocolError(f"gmail message {message_id}: raw is not base64url") from None
    millis = str(found.get("internalDate") or "")
    received = (datetime.fromtimestamp(int(millis) / 1000, UTC) if millis.isdigit()
                else datetime.now(UTC))
    return MailMessage.from_raw(raw, key=message_id, received_at=received)
