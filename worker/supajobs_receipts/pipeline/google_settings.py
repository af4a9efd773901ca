"""Google settings: the Gmail source and the Drive file store (docs/google.md).

SUPAJOBS_MAIL_SOURCE=gmail reads the Gmail account SUPAJOBS_GMAIL_ADDRESS through the Gmail
API; SUPAJOBS_GMAIL_QUERY (default: `DEFAULT_GMAIL_QUERY`) chooses the mail,
SUPAJOBS_GMAIL_LABEL (default `supajobs/processed`) marks what was taken.
SUPAJOBS_DRIVE_FOLDER_ID sends receipt files to that Google Drive folder.
Both use one Google grant: the one `supajobs auth google` stored, renewed by the grant store
(the Pipeline binds it), unless SUPAJOBS_GOOGLE_ACCESS_TOKEN gives a fixed access token (for
tests and a quick try: it cannot be renewed) or the caller passes a `tokens` factory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import ValidationError as PydanticValidationError

from supajobs.errors import ConfigurationError
from supajobs_receipts.credentials import GrantMissingError, StaticTokenSource, TokenSource
from supajobs_receipts.mail import DEFAULT_GMAIL_LABEL, DEFAULT_GMAIL_QUERY, GmailSettings

TokenFactory = Callable[[], TokenSource]
MAIL_SOURCES = ("imap", "maildir", "gmail")


@dataclass(frozen=True)
class GoogleSettings:
    gmail: GmailSettings | None = None
    drive_folder_id: str | None = None
    # None: the stored grant, which the Pipeline binds (it needs the database client)
    tokens: TokenFactory | None = field(default=None, repr=False, compare=False)

    def token_source(self) -> TokenSource:
        return MissingGrant() if self.tokens is None else self.tokens()


class MissingGrant:
    """No Google token configured: every use is the clear, non-retryable GrantMissingError."""

    provider = "google"

    def access_token(self) -> str:
        raise GrantMissingError(self.provider)

    def after_rejection(self, rejected: str) -> str:
        raise GrantMissingError(self.provider)


def google_from_env(get: Callable[[str], str | None],
                    tokens: TokenFactory | None = None) -> GoogleSettings | None:
    source = get("SUPAJOBS_MAIL_SOURCE")
    if source is not None and source not in MAIL_SOURCES:
        raise ConfigurationError(f"SUPAJOBS_MAIL_SOURCE must be one of {', '.join(MAIL_SOURCES)}"
                                 f", got {source!r}")
    folder = get("SUPAJOBS_DRIVE_FOLDER_ID")
    if source != "gmail" and folder is None:
        for name in ("SUPAJOBS_GMAIL_ADDRESS", "SUPAJOBS_GMAIL_QUERY", "SUPAJOBS_GMAIL_LABEL"):
            if get(name) is not None:
                raise ConfigurationError(f"{name} is set but SUPAJOBS_MAIL_SOURCE is not gmail")
        return None
    gmail = _gmail(get) if source == "gmail" else None
    if folder is not None and not folder.replace("-", "").replace("_", "").isalnum():
        raise ConfigurationError(f"SUPAJOBS_DRIVE_FOLDER_ID {folder!r} is not a Drive folder "
                                 "id (the last part of the folder's URL)")
    return GoogleSettings(gmail=gmail, drive_folder_id=folder,
                          tokens=tokens or _static_tokens(get))


def _gmail(get: Callable[[str], str | None]) -> GmailSettings:
    address = get("SUPAJOBS_GMAIL_ADDRESS")
    if address is None:
        raise ConfigurationError("SUPAJOBS_MAIL_SOURCE=gmail needs SUPAJOBS_GMAIL_ADDRESS "
                                 "(the Gmail account to read)")
    try:
        return GmailSettings(address=address,
                             query=get("SUPAJOBS_GMAIL_QUERY") or DEFAULT_GMAIL_QUERY,
                             label=get("SUPAJOBS_GMAIL_LABEL") or DEFAULT_GMAIL_LABEL)
    except PydanticValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigurationError(f"Gmail settings (SUPAJOBS_GMAIL_*) are invalid: {problems}") \
            from None


def _static_tokens(get: Callable[[str], str | None]) -> TokenFactory | None:
    token = get("SUPAJOBS_GOOGLE_ACCESS_TOKEN")
    if token is None:
        return None
    return lambda: StaticTokenSource("google", token)
