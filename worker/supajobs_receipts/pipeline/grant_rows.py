"""Rows of receipts.oauth_grants as the grant RPCs return them. Tokens are SecretStr, so a
repr, a log line or an error message never shows one."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SecretStr

Provider = Literal["google", "freee"]
PROVIDERS: tuple[Provider, ...] = ("google", "freee")


class GrantStatus(BaseModel):
    """What may be shown: everything but the tokens (`supajobs auth status`)."""

    model_config = ConfigDict(extra="ignore")
    provider: Provider
    account: str
    status: Literal["active", "revoked"]
    scopes: list[str]
    extra: dict[str, Any]
    expires_at: dt.datetime | None
    connected_at: dt.datetime
    refreshed_at: dt.datetime | None
    last_error: str | None
    generation: int


class GrantRow(GrantStatus):
    refresh_token: SecretStr
    access_token: SecretStr | None
    lease_holder: str | None
    lease_until: dt.datetime | None


class RefreshTicket(BaseModel):
    """begin_refresh's answer (see the function's comment for each outcome)."""

    outcome: Literal["acquired", "rotated", "busy", "revoked", "missing"]
    generation: int | None
    refresh_token: SecretStr | None
    access_token: SecretStr | None
    expires_at: dt.datetime | None
    lease_until: dt.datetime | None


class NewTokens(BaseModel):
    """A token endpoint's answer (RFC 6749 §5.1), expiry made absolute."""

    access_token: SecretStr
    expires_at: dt.datetime
    refresh_token: SecretStr | None = None  # freee: always new; Google: only at consent
    scopes: list[str] | None = None
