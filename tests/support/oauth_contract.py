"""Token endpoint requests and responses as RFC 6749 publishes them (§4.1.3 code exchange,
§6 refresh, §5.1 success, §5.2 error), plus RFC 7636 (PKCE). The mocks answer with these
builders and every captured request is checked here, so a mock cannot drift from the
contract both Google and freee implement."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from urllib.parse import parse_qs

import httpx

GOOGLE_TOKEN = "https://oauth2.googleapis.com/token"
FREEE_TOKEN = "https://accounts.secure.freee.co.jp/public_api/token"
ERROR_CODES = {"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
               "unsupported_grant_type", "invalid_scope"}
FORM = "application/x-www-form-urlencoded"


def token_body(access: str, *, refresh: str | None = None, expires_in: int = 3599,
               scope: str | None = None) -> dict[str, Any]:
    """§5.1: access_token and token_type required; expires_in, refresh_token, scope optional."""
    body: dict[str, Any] = {"access_token": access, "token_type": "Bearer",
                            "expires_in": expires_in}
    if refresh is not None:
        body["refresh_token"] = refresh
    if scope is not None:
        body["scope"] = scope
    return body


def token_response(access: str, **options: Any) -> httpx.Response:
    # §5.1: JSON, and no caching of a response carrying tokens
    return httpx.Response(200, json=token_body(access, **options),
                          headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def error_response(error: str, description: str | None = None,
                   status: int = 400) -> httpx.Response:
    """§5.2: 400 (401 for invalid_client) with {"error": code[, "error_description"]}."""
    assert error in ERROR_CODES, error
    body = {"error": error} | ({"error_description": description} if description else {})
    return httpx.Response(status, json=body)


def form(request: httpx.Request) -> dict[str, str]:
    assert request.method == "POST"
    assert request.headers["content-type"].split(";")[0] == FORM
    parsed = parse_qs(request.content.decode(), strict_parsing=True)
    assert all(len(v) == 1 for v in parsed.values()), parsed  # no repeated parameter
    return {k: v[0] for k, v in parsed.items()}


def check_refresh_request(request: httpx.Request, client_id: str) -> str:
    """§6 with client_secret_post (§2.3.1): returns the refresh token sent."""
    sent = form(request)
    assert sent["grant_type"] == "refresh_token"
    assert sent["client_id"] == client_id and sent["client_secret"]
    assert set(sent) <= {"grant_type", "refresh_token", "scope", "client_id", "client_secret"}
    return sent["refresh_token"]


def check_code_request(request: httpx.Request, client_id: str, redirect_uri: str,
                       verifier_of: str) -> str:
    """§4.1.3 + RFC 7636 §4.5: the verifier matches the S256 challenge sent earlier."""
    sent = form(request)
    assert sent["grant_type"] == "authorization_code" and sent["code"]
    assert sent["redirect_uri"] == redirect_uri and sent["client_id"] == client_id
    assert s256(sent["code_verifier"]) == verifier_of
    assert 43 <= len(sent["code_verifier"]) <= 128
    return sent["code"]


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def as_json(response: httpx.Response) -> dict[str, Any]:
    loaded = json.loads(response.content)
    assert isinstance(loaded, dict)
    return loaded
