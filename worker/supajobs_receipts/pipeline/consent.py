"""The first consent: authorization code with PKCE (RFC 7636, S256) and a state, the browser
sent back to the loopback redirect, the code exchanged through authlib."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from authlib.common.security import generate_token

from supajobs_receipts.pipeline import token_endpoint
from supajobs_receipts.pipeline.authlib_httpx import AsyncOAuth2Client
from supajobs_receipts.pipeline.consent_redirect import ConsentError, LoopbackRedirect
from supajobs_receipts.pipeline.grant_rows import NewTokens
from supajobs_receipts.pipeline.oauth_settings import OAuthClient


def authorization_url(client: OAuthClient, redirect_uri: str, scopes: tuple[str, ...],
                      state: str, verifier: str) -> str:
    session = AsyncOAuth2Client(client.client_id, redirect_uri=redirect_uri,
                                scope=" ".join(scopes) or None,
                                code_challenge_method="S256")
    url, _ = session.create_authorization_url(client.endpoints.authorize_url, state=state,
                                              code_verifier=verifier,
                                              **dict(client.endpoints.authorize_params))
    return str(url)


def code_from(params: dict[str, str], state: str, provider: str) -> str:
    if "error" in params:
        raise ConsentError(f"{provider} did not grant access ({params['error']}): nothing "
                           "stored")
    if not secrets.compare_digest(params.get("state", ""), state):
        raise ConsentError("the redirect's state does not match this consent (a stale or "
                           "forged redirect): nothing stored; run the command again")
    code = params.get("code", "")
    if not code:
        raise ConsentError(f"{provider} sent no authorization code: nothing stored")
    return code


async def run_consent(client: OAuthClient, scopes: tuple[str, ...],
                      show_url: Callable[[str], None], timeout: float,
                      port: int = 0) -> NewTokens:
    """Print/open the URL, wait for the redirect, exchange the code. Blocks the calling
    thread while it waits (a CLI command)."""
    state, verifier = generate_token(32), generate_token(64)
    with LoopbackRedirect(port) as redirect:
        show_url(authorization_url(client, redirect.redirect_uri, scopes, state, verifier))
        params = redirect.wait(timeout)
        code = code_from(params, state, client.provider)
        return await token_endpoint.exchange_code(client, code, verifier,
                                                  redirect.redirect_uri)
