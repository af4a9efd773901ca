"""The OAuth clients registered with Google and freee, and where their endpoints are.

Read from the environment: SUPAJOBS_GOOGLE_CLIENT_ID / _SECRET (a Google Cloud OAuth client of
type Desktop), SUPAJOBS_FREEE_CLIENT_ID / _SECRET (a freee app). docs/setup-google-freee.md
says how to register them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import SecretStr

from supajobs.errors import ConfigurationError
from supajobs_receipts.pipeline.grant_rows import PROVIDERS, Provider

GMAIL_MODIFY = "https://www.googleapis.com/auth/gmail.modify"
DRIVE_FILE = "https://www.googleapis.com/auth/drive.file"
GMAIL_IMAP = "https://mail.google.com/"  # IMAP XOAUTH2 needs this one; the Gmail API does not


@dataclass(frozen=True)
class ProviderEndpoints:
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    # Google hands out a refresh token only with access_type=offline, and again on a second
    # consent only with prompt=consent.
    authorize_params: tuple[tuple[str, str], ...] = ()


ENDPOINTS: dict[Provider, ProviderEndpoints] = {
    "google": ProviderEndpoints(
        "https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token",
        (GMAIL_MODIFY, DRIVE_FILE), (("access_type", "offline"), ("prompt", "consent"))),
    # freee's scopes are set on the app itself (read / write); the request names none.
    "freee": ProviderEndpoints(
        "https://accounts.secure.freee.co.jp/public_api/authorize",
        "https://accounts.secure.freee.co.jp/public_api/token", (),
        (("prompt", "select_company"),)),
}
FREEE_COMPANIES_URL = "https://api.freee.co.jp/api/1/companies"


@dataclass(frozen=True)
class OAuthClient:
    provider: Provider
    client_id: str
    client_secret: SecretStr

    @property
    def endpoints(self) -> ProviderEndpoints:
        return ENDPOINTS[self.provider]


def check_provider(name: str) -> Provider:
    for provider in PROVIDERS:
        if name == provider:
            return provider
    raise ConfigurationError(f"unknown OAuth provider {name!r}: use one of "
                             f"{', '.join(PROVIDERS)}")


def imap_oauth_provider(value: str | None) -> Provider | None:
    """SUPAJOBS_IMAP_OAUTH: `google` takes the IMAP XOAUTH2 token from the stored Google grant
    (`supajobs auth google --imap`), refreshed as it expires."""
    if value is None:
        return None
    if value == "google":
        return "google"
    raise ConfigurationError(f"SUPAJOBS_IMAP_OAUTH must be 'google', got {value!r}")


def oauth_client(provider: Provider, env: Mapping[str, str] | None = None) -> OAuthClient:
    """The provider's client from SUPAJOBS_<PROVIDER>_CLIENT_ID and _SECRET, or a
    ConfigurationError naming what is missing."""
    env = os.environ if env is None else env
    prefix = f"SUPAJOBS_{provider.upper()}_CLIENT"
    client_id = env.get(f"{prefix}_ID", "").strip()
    secret = env.get(f"{prefix}_SECRET", "").strip()
    missing = [name for name, value in ((f"{prefix}_ID", client_id),
                                        (f"{prefix}_SECRET", secret)) if not value]
    if missing:
        raise ConfigurationError(
            f"the {provider} OAuth client is not configured: set {' and '.join(missing)} "
            "(docs/setup-google-freee.md)")
    return OAuthClient(provider, client_id, SecretStr(secret))
