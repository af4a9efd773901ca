"""One exception hierarchy for both transports; the database's message is kept verbatim."""

from __future__ import annotations

from typing import Any


class SupajobsError(Exception):
    """Base of every supajobs error.

    code: the SQLSTATE (e.g. SJ101) or PostgREST code (e.g. PGRST202) when one is known.
    status: the HTTP status when the error came over PostgREST.
    """

    def __init__(self, message: str, *, code: str | None = None, details: Any = None,
                 hint: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details
        self.hint = hint
        self.status = status


class ValidationError(SupajobsError):
    """Bad input, found client-side before the round trip or by the database."""

    def __init__(self, message: str, *, field: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.field = field


class NotFoundError(SupajobsError):
    """The job, schedule, dead letter or breaker does not exist."""


class MissingFunctionError(NotFoundError):
    """The RPC function itself is missing: migrations not applied or schema not exposed."""


class ConflictError(SupajobsError):
    """The object is in the wrong state (lease lost, already finished, not a dead letter)."""


class PermissionDeniedError(SupajobsError):
    """The key or role may not call the function (use the service-role key)."""


class TransientError(SupajobsError):
    """Worth retrying: connection trouble, 5xx/503, serialization failure, pool exhausted.

    applied: False when the database certainly did not apply the call (safe to retry even
    when not idempotent), None when unknown (the response was lost).
    """

    def __init__(self, message: str, *, applied: bool | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.applied = applied


class PoolExhaustedError(TransientError):
    """No connection of the client's pool became free in time: the database was not asked."""

    def __init__(self, message: str, **kwargs: Any) -> None:
        super().__init__(message, applied=False, **kwargs)


class ConfigurationError(SupajobsError):
    """The client is configured wrongly (missing URL or key, bad URL, schema not exposed)."""


class JobWaitTimeoutError(SupajobsError):
    """wait() gave up before the job finished."""

    def __init__(self, message: str, *, job: Any = None) -> None:
        super().__init__(message)
        self.job = job
