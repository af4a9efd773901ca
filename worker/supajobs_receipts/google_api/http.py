"""GoogleHttp: one place for the token, the 401 renewal and the throttling rules.

401 -> `TokenSource.after_rejection` once -> the request again (a token can expire between
being handed out and being used, or be revoked). 429, 5xx and throttling 403s are retried
with exponential backoff, honouring Retry-After, while the total wait stays under
`RetryPolicy.max_wait`; past that the error is raised with `retryable=True` and the seconds
Google asked for, so the job is postponed by the queue instead of sleeping in a worker.
A request that is not `retry_safe` (an upload whose effect cannot be told from its answer)
is never repeated here: the caller first looks whether it happened.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from supajobs_receipts.credentials import TokenSource
from supajobs_receipts.google_api.errors import GoogleApiError, GoogleTransportError, is_transient


@dataclass(frozen=True)
class RetryPolicy:
    first_delay: float = 1.0
    max_delay: float = 32.0
    max_wait: float = 60.0  # seconds of sleeping per request before handing over to the queue


class GoogleHttp:
    def __init__(self, api: str, tokens: TokenSource, *, client: httpx.Client | None = None,
                 policy: RetryPolicy = RetryPolicy(),
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.api = api
        self.tokens = tokens
        self.client = client or httpx.Client(timeout=httpx.Timeout(60.0, connect=15.0))
        self.policy = policy
        self._sleep = sleep

    def request(self, method: str, url: str, *, retry_safe: bool = True,
                ok: tuple[int, ...] = (), **kwargs: Any) -> httpx.Response:
        """The response (2xx or a status in `ok`), or GoogleApiError; GrantError passes."""
        waited, delay = 0.0, self.policy.first_delay
        token = self.tokens.access_token()
        renewed = False
        while True:
            try:
                response = self._send(method, url, token, kwargs)
            except GoogleTransportError as exc:
                if not retry_safe or waited + delay > self.policy.max_wait:
                    raise
                error: GoogleApiError = exc
            else:
                if response.status_code == 401 and not renewed:
                    token, renewed = self.tokens.after_rejection(token), True
                    continue
                if response.is_success or response.status_code in ok:
                    return response
                error = GoogleApiError.from_response(self.api, response,
                                                     _retry_after(response.headers))
                if not (retry_safe and is_transient(response.status_code, error.reason)):
                    raise error
            pause = error.retry_after if error.retry_after is not None else delay
            if waited + pause > self.policy.max_wait:
                error.retry_after = pause
                raise error
            self._sleep(pause)
            waited += pause
            if error.retry_after is None:  # Google's own wait does not advance the backoff
                delay = min(delay * 2, self.policy.max_delay)

    def _send(self, method: str, url: str, token: str, kwargs: dict[str, Any]) -> httpx.Response:
        headers = {**kwargs.pop("headers", {}), "Authorization": f"Bearer {token}"}
        try:
            return self.client.request(method, url, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            # The exception text names the URL only; the headers (the token) stay out.
            raise GoogleTransportError(self.api, f"{type(exc).__name__} on {method} "
                                       f"{httpx.URL(url).path}") from None
        finally:
            kwargs["headers"] = {k: v for k, v in headers.items() if k != "Authorization"}


def _retry_after(headers: httpx.Headers) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date (RFC 9110 10.2.3)."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
