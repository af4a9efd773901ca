"""How to reach one IMAP mailbox."""

from __future__ import annotations

from datetime import date
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from supajobs_receipts.credentials import StaticTokenSource, TokenSource

Security = Literal["ssl", "starttls", "none"]


class ImapSettings(BaseModel):
    """An IMAP account: `ssl` is implicit TLS (port 993), `starttls` upgrades port 143,
    `none` is plain text (local servers only). Exactly one credential: `password` (LOGIN),
    `oauth2_token` (a fixed SASL XOAUTH2 token, how Gmail and Microsoft 365 are reached), or
    `oauth_provider` (XOAUTH2 with tokens of the stored grant, which the pipeline binds as
    `token_source` before connecting; a TokenSource alone works too)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    host: str = Field(min_length=1)
    port: int | None = Field(default=None, ge=1, le=65535)
    security: Security = "ssl"
    username: str = Field(min_length=1)
    password: SecretStr | None = None
    oauth2_token: SecretStr | None = None
    oauth_provider: Literal["google"] | None = None
    token_source: TokenSource | None = Field(default=None, exclude=True, repr=False)
    mailbox: str = "INBOX"
    ca_file: str | None = None  # extra CA to trust, e.g. a self-signed test server
    timeout: float = Field(default=30.0, gt=0)
    # Only mail the server received on or after this day is scanned (e.g. a new account).
    since: date | None = None
    # At most this many messages per run; the checkpoint resumes from there next time.
    max_messages: int = Field(default=200, ge=1)
    fetch_batch: int = Field(default=20, ge=1)
    fetch_bytes: int = Field(default=32 * 1024 * 1024, ge=1)

    @model_validator(mode="after")
    def _one_credential(self) -> Self:
        given = [self.password is not None, self.oauth2_token is not None,
                 self.oauth_provider is not None or self.token_source is not None]
        if sum(given) != 1:
            raise ValueError("give exactly one of password, oauth2_token or oauth_provider")
        return self

    def bind(self, token_source: TokenSource) -> ImapSettings:
        """The same account with its XOAUTH2 tokens taken from `token_source`."""
        return self.model_copy(update={"token_source": token_source})

    def xoauth2_source(self) -> TokenSource | None:
        """Where XOAUTH2 tokens come from; None for a password login."""
        if self.token_source is not None:
            return self.token_source
        if self.oauth2_token is not None:
            return StaticTokenSource("imap", self.oauth2_token.get_secret_value())
        if self.oauth_provider is not None:
            raise ValueError(f"IMAP XOAUTH2 with the stored {self.oauth_provider} grant needs "
                             "a token source: connect through the pipeline (email_scan)")
        return None

    @property
    def effective_port(self) -> int:
        return self.port or (993 if self.security == "ssl" else 143)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.effective_port}"


def xoauth2_string(username: str, token: str) -> bytes:
    """The SASL XOAUTH2 initial response (before base64, which imaplib adds)."""
    return f"user={username}\x01auth=Bearer {token}\x01\x01".encode()
