"""The mail side of email_scan: read a mailbox incrementally, take the receipt documents.

Sources: ImapSource, MaildirSource, GmailSource (the Gmail API; docs/google.md).

source = ImapSource(ImapSettings(host=..., username=..., oauth2_token=...))
messages, checkpoint = source.fetch_new(stored_checkpoint)
for message in messages:
    found = extract_documents(message.email(), raw=message.raw,
                              received_at=message.received_at)
# store found.documents, enqueue, log found.skipped; then persist `checkpoint`
"""

from .errors import (
    MailAuthError,
    MailboxMissingError,
    MailConnectionError,
    MailError,
    MailProtocolError,
)
from .extract import DEFAULT_MAX_BYTES, extract_documents
from .gmail_api import GmailApiError
from .gmail_checkpoint import GmailCheckpoint
from .gmail_settings import DEFAULT_LABEL as DEFAULT_GMAIL_LABEL
from .gmail_settings import DEFAULT_QUERY as DEFAULT_GMAIL_QUERY
from .gmail_settings import GmailSettings
from .gmail_source import GmailSource
from .imap_settings import ImapSettings
from .imap_source import ImapSource
from .maildir_source import MaildirSource
from .model import (
    Checkpoint,
    Extraction,
    MaildirCheckpoint,
    MailDocument,
    MailMessage,
    SkippedDocument,
)

__all__ = [
    "DEFAULT_GMAIL_LABEL",
    "DEFAULT_GMAIL_QUERY",
    "DEFAULT_MAX_BYTES",
    "Checkpoint",
    "Extraction",
    "GmailApiError",
    "GmailCheckpoint",
    "GmailSettings",
    "GmailSource",
    "ImapSettings",
    "ImapSource",
    "MailAuthError",
    "MailConnectionError",
    "MailDocument",
    "MailError",
    "MailMessage",
    "MailProtocolError",
    "MailboxMissingError",
    "MaildirCheckpoint",
    "MaildirSource",
    "SkippedDocument",
    "extract_documents",
]
