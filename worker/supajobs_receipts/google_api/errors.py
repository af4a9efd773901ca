"""Errors from Google's APIs, reduced to what a caller decides on: retry or not, and when."""

from __future__ import annotations

from typing import Any

import httpx

# 403 reasons that mean "too fast", not "not allowed" (Gmail and Drive usage-limit docs).
THROTTLE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded",
                              "dailyLimitExceeded", "quotaExceeded", "backendError"})


class GoogleApiError(Exception):
    """Google answered with an error. `retry_after`: seconds Google asked to wait, if any."""

    def __init__(self, api: str, status: int, reason: str, message: str, *,
                 retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(f"{api}: HTTP {status} {reason}: {message}")
        self.api, self.status, self.reason = api, status, reason
        self.retryable = retryable
        self.retry_after = retry_after

    @classmethod
    def from_response(cls, api: str, response: httpx.Response,
                      retry_after: float | None = None) -> GoogleApiError:
        reason, message = _reason(response)
        return cls(api, response.status_code, reason, message,
                   retryable=is_transient(response.status_code, reason),
                   retry_after=retry_after)


class GoogleTransportError(GoogleApiError):
    """No answer (timeout, connection reset): the request may or may not have been done."""

    def __init__(self, api: str, detail: str) -> None:
        super().__init__(api, 0, "transport", detail, retryable=True)


def is_transient(status: int, reason: str) -> bool:
    return status == 429 or status >= 500 or (status == 403 and reason in THROTTLE_REASONS)


def _reason(response: httpx.Response) -> tuple[str, str]:
    """(reason, message) from Google's JSON error envelope; the status line otherwise."""
    try:
        body: Any = response.json()
    except ValueError:
        return response.reason_phrase or "error", response.text[:200]
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return response.reason_phrase or "error", str(body)[:200]
    items = error.get("errors") or [{}]
    reason = items[0].get("reason") if isinstance(items[0], dict) else None
    return str(reason or error.get("status") or "error"), str(error.get("message", ""))[:300]
