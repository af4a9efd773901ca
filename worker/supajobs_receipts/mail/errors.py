"""Errors raised while reading a mailbox, each naming what went wrong and where.

`retryable` tells the job handler whether another attempt can help: a server that is
down may come back, a rejected password or a missing folder will not fix itself.
"""

from __future__ import annotations


class MailError(Exception):
    """Base class of every mail-source error."""

    retryable: bool = False


class MailConnectionError(MailError):
    """The server could not be reached, or the connection (or TLS) failed."""

    retryable = True


class MailAuthError(MailError):
    """The server rejected the credentials (password or OAuth2 token)."""


class MailboxMissingError(MailError):
    """The mailbox (IMAP folder or Maildir directory) does not exist."""


class MailProtocolError(MailError):
    """The server answered something this client cannot use."""

    retryable = True
