"""How to reach one IMAP mailbox."""

from __future__ import annotations

from datetime import date
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

Security = Literal["ssl", "starttls", "none"]


class ImapSettings(BaseModel):
    """An IMAP account: `ssl` is implicit TLS (port 993), `starttls` upgrades port 143,
    `none` is plain text (local servers only). Exactly one of `password` (LOGIN) and
    `oauth2_token` (SASL XOAUTH2, how Gmail and Microsoft 365 are reached) is given."""

    model_config = ConfigDict(frozen=True)
    host: str = Field(min_length=1)
    port: int | None = Field(default=None, ge=1, le=65535)
    security: Security = "ssl"
    username: str = Field(min_length=1)
    password: SecretStr | None = None
    oauth2_token: SecretStr | None = None
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
        if (self.password is None) == (self.oauth2_token is None):
            raise ValueError("give exactly one of password or oauth2_token")
        return self

    @property
    def effective_port(self) -> int:
        return self.port or (993 if self.security == "ssl" else 143)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.effective_port}"


def xoauth2_string(username: str, token: str) -> bytes:
    """The SASL XOAUTH2 initial response (before base64, which imaplib adds)."""
    return f"user={username}\x01auth=Bearer {token}\x01\x01".encode()
