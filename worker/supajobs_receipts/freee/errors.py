"""What can go wrong talking to freee, sorted by what the caller should do about it.

Messages carry freee's own error text (never a token: the client never puts one in them).
"""

from __future__ import annotations


class FreeeError(Exception):
    """Base: `retryable` says whether trying again later can help."""

    retryable = False

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class FreeeThrottledError(FreeeError):
    """403 throttle or 429: usable again after `seconds` (the queue postpones the job)."""

    retryable = True

    def __init__(self, message: str, seconds: float, status: int) -> None:
        super().__init__(message, status)
        self.seconds = seconds


class FreeeUnavailableError(FreeeError):
    """5xx, a timeout or a broken connection. `outcome_unknown`: the request may have been
    applied (a POST that timed out), so the caller must look before repeating it."""

    retryable = True

    def __init__(self, message: str, status: int | None = None, *,
                 outcome_unknown: bool = False) -> None:
        super().__init__(message, status)
        self.outcome_unknown = outcome_unknown


class FreeeAuthError(FreeeError):
    """401 even with a freshly refreshed token: the grant lacks the right (a person must act)."""


class FreeeForbiddenError(FreeeError):
    """403 that is not a throttle: the app or user lacks a permission, a plan limit."""


class FreeeRequestError(FreeeError):
    """400/404/409…: freee refused this request as it is; repeating it cannot help."""


class FreeeUnchangedError(FreeeError):
    """A deal update changed something besides the receipts (or did not add ours): never
    silently accepted, because PUT /deals/{id} replaces what it is sent."""
