"""One request to freee: the bearer token from a TokenSource (401 → one fresh token, once),
freee's error bodies turned into FreeeError subclasses, nothing of the token in any message."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from supajobs_receipts.credentials import TokenSource
from supajobs_receipts.freee.errors import (
    FreeeAuthError,
    FreeeError,
    FreeeForbiddenError,
    FreeeRequestError,
    FreeeThrottledError,
    FreeeUnavailableError,
)

BASE_URL = "https://api.freee.co.jp"
THROTTLE_SECONDS = 600.0  # freee: a throttled app is usable again after about 10 minutes
# 403 codes that are permissions or plans, not throttling (developer.freee.co.jp 40x FAQ)
_NOT_THROTTLE = ("user_do_not_have_permission", "company_not_found", "freee_plan_limit",
                 "source_ip_address_limit", "権限", "アクセス権")


def error_text(response: httpx.Response) -> str:
    """freee's message(s): `{message, messages}` (401/403) or `{errors: [{messages}]}`."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    parts: list[str] = []
    if isinstance(body, dict):
        for key in ("message", "messages", "code"):
            value = body.get(key)
            parts += [str(v) for v in value] if isinstance(value, list) else [str(value)] * (
                value is not None)
        for err in body.get("errors") or ():
            if isinstance(err, dict):
                parts += [str(m) for m in err.get("messages") or ()]
                parts += [str(err["code"])] if err.get("code") else []
    return "; ".join(dict.fromkeys(p for p in parts if p)) or response.reason_phrase


def _retry_after(response: httpx.Response, now: dt.datetime | None = None) -> float:
    """Retry-After (seconds), else the X-RateLimit-Reset time freee sends, else 10 minutes."""
    value = response.headers.get("retry-after", "")
    if value.strip().isdigit():
        return float(value)
    reset = (response.headers.get("x-ratelimit-reset")
             or response.headers.get("x-ratelimit-reset-minute"))
    if reset:
        try:
            at = dt.datetime.fromisoformat(reset.replace("Z", "+00:00"))
            wait = (at - (now or dt.datetime.now(dt.UTC))).total_seconds()
            return min(max(wait, 1.0), 86400.0)
        except ValueError:
            pass
    return THROTTLE_SECONDS


def raise_for(response: httpx.Response, what: str) -> None:
    status = response.status_code
    if status < 400:
        return
    text = error_text(response)
    message = f"freee {what}: HTTP {status}: {text}"
    if status == 429:
        raise FreeeThrottledError(message, _retry_after(response), status)
    if status == 403:
        if any(code in text for code in _NOT_THROTTLE):
            raise FreeeForbiddenError(message, status)
        raise FreeeThrottledError(message, _retry_after(response), status)
    if status == 401:
        raise FreeeAuthError(message + " (run `supajobs auth freee` to re-authorise)", status)
    if status >= 500:
        raise FreeeUnavailableError(message, status)
    raise FreeeRequestError(message, status)


class FreeeHttp:
    def __init__(self, tokens: TokenSource, *, client: httpx.Client | None = None,
                 timeout: float = 60.0) -> None:
        self._tokens = tokens
        self._client = client or httpx.Client(base_url=BASE_URL, timeout=timeout)

    def close(self) -> None:
        self._client.close()

    def request(self, method: str, path: str, what: str, **kwargs: Any) -> Any:
        """The JSON body of a 2xx answer; FreeeError otherwise."""
        token = self._tokens.access_token()
        response = self._send(method, path, what, token, kwargs)
        if response.status_code == 401:  # expired early or rotated elsewhere: once more
            token = self._tokens.after_rejection(token)
            response = self._send(method, path, what, token, kwargs)
        raise_for(response, what)
        try:
            return response.json() if response.content else None
        except ValueError as exc:
            raise FreeeError(f"freee {what}: the answer is not JSON", response.status_code) \
                from exc

    def _send(self, method: str, path: str, what: str, token: str,
              kwargs: dict[str, Any]) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        try:
            return self._client.request(method, BASE_URL + path, headers=headers, **kwargs)
        except httpx.TimeoutException as exc:
            raise FreeeUnavailableError(f"freee {what}: no answer in time ({type(exc).__name__})",
                                        outcome_unknown=method != "GET") from None
        except httpx.TransportError as exc:
            unknown = method != "GET" and not isinstance(exc, httpx.ConnectError)
            raise FreeeUnavailableError(f"freee {what}: {type(exc).__name__}",
                                        outcome_unknown=unknown) from None
