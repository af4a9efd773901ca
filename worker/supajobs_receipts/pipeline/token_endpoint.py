"""Talking to a provider's token endpoint through authlib (RFC 6749 §4.1.3 code exchange,
§6 refresh), with its failures sorted into "a person must act" and "try again later"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from pydantic import SecretStr

from supajobs_receipts.credentials import GrantError
from supajobs_receipts.pipeline.authlib_httpx import AsyncOAuth2Client, OAuthError
from supajobs_receipts.pipeline.grant_rows import NewTokens
from supajobs_receipts.pipeline.oauth_settings import OAuthClient

TOKEN_TIMEOUT = 20.0  # seconds; must stay well below the refresh lease (grant_tokens.py)
# RFC 6749 §5.2: the refresh token (or code) itself is bad. Anything else is the client's
# configuration (invalid_client, unauthorized_client, ...) and does not revoke the grant.
GRANT_ERRORS = {"invalid_grant"}


class TokenEndpointUnavailableError(ConnectionError):
    """Network trouble, a 5xx, a 429 or a body that is not a token response: retryable.
    A ConnectionError, so every consumer (IMAP, HTTP clients) treats it as a network fault."""


class GrantRejectedError(Exception):
    """The token endpoint answered invalid_grant (revoked, expired, or already used)."""

    def __init__(self, error: str, description: str | None) -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error


def _session(client: OAuthClient, **options: Any) -> AsyncOAuth2Client:
    return AsyncOAuth2Client(client.client_id, client.client_secret.get_secret_value(),
                             token_endpoint_auth_method="client_secret_post",
                             timeout=TOKEN_TIMEOUT, **options)


def new_tokens(token: dict[str, Any], now: dt.datetime | None = None) -> NewTokens:
    """RFC 6749 §5.1: access_token required, expires_in recommended (an hour when absent,
    which is what both providers issue)."""
    now = now or dt.datetime.now(dt.UTC)
    access = token.get("access_token")
    if not isinstance(access, str) or not access:
        raise TokenEndpointUnavailableError("the token endpoint answered without an access_token")
    expires_in = token.get("expires_in")
    seconds = int(expires_in) if isinstance(expires_in, int | float | str) and \
        str(expires_in).isdigit() else 3600
    refresh = token.get("refresh_token")
    scope = token.get("scope")
    return NewTokens(access_token=SecretStr(access),
                     expires_at=now + dt.timedelta(seconds=seconds),
                     refresh_token=SecretStr(refresh) if isinstance(refresh, str) and refresh
                     else None,
                     scopes=scope.split() if isinstance(scope, str) else None)


async def _call(client: OAuthClient, what: str, request: Any) -> NewTokens:
    try:
        token = await request
    except OAuthError as exc:
        if exc.error in GRANT_ERRORS:
            raise GrantRejectedError(exc.error, _short(exc.description)) from None
        if exc.error in {"slow_down", "temporarily_unavailable"}:
            raise TokenEndpointUnavailableError(f"{what}: {exc.error}") from None
        raise GrantError(client.provider, f"the {client.provider} token endpoint refused "
                         f"the {what} ({exc.error}: {_short(exc.description)}): check "
                         f"SUPAJOBS_{client.provider.upper()}_CLIENT_ID and _SECRET") from None
    except httpx.HTTPStatusError as exc:
        raise TokenEndpointUnavailableError(
            f"{what}: the {client.provider} token endpoint answered "
            f"{exc.response.status_code}") from None
    except httpx.HTTPError as exc:
        raise TokenEndpointUnavailableError(
            f"{what}: the {client.provider} token endpoint is unreachable "
            f"({type(exc).__name__})") from None
    except ValueError:  # authlib: the body is not a JSON object
        raise TokenEndpointUnavailableError(
            f"{what}: the {client.provider} token endpoint sent no token response") from None
    return new_tokens(dict(token))


async def refresh(client: OAuthClient, refresh_token: SecretStr) -> NewTokens:
    async with _session(client) as session:
        return await _call(client, "refresh", session.refresh_token(
            client.endpoints.token_url, refresh_token=refresh_token.get_secret_value()))


async def exchange_code(client: OAuthClient, code: str, code_verifier: str,
                        redirect_uri: str) -> NewTokens:
    async with _session(client, redirect_uri=redirect_uri) as session:
        return await _call(client, "authorization code", session.fetch_token(
            client.endpoints.token_url, grant_type="authorization_code", code=code,
            code_verifier=code_verifier))


def _short(text: str | None) -> str:
    return (text or "no description")[:200]
