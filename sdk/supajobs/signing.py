"""Webhook signatures: HMAC-SHA256 over f"{timestamp}.{body}", as the database computes it.

The database (jobs._sign_webhook) signs each wake-up; the worker calls `verify` before it
touches anything. The same formula is implemented here and tested against the SQL one.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable, Mapping

TIMESTAMP_HEADER = "X-Supajobs-Timestamp"
SIGNATURE_HEADER = "X-Supajobs-Signature"
SCHEME = "v1"
DEFAULT_TOLERANCE_SECONDS = 300


class SignatureError(Exception):
    """The request is not a genuine, fresh webhook; `reason` is a short machine-readable code."""

    reason = "invalid_signature"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MissingSignatureError(SignatureError):
    reason = "missing_signature"


class MalformedSignatureError(SignatureError):
    reason = "malformed_signature"


class BadSignatureError(SignatureError):
    reason = "bad_signature"


class StaleTimestampError(SignatureError):
    reason = "stale_timestamp"


class FutureTimestampError(SignatureError):
    reason = "future_timestamp"


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def _digest(secret: str | bytes, timestamp: int, body: str | bytes) -> str:
    message = f"{timestamp}.".encode("ascii") + _as_bytes(body)
    return hmac.new(_as_bytes(secret), message, hashlib.sha256).hexdigest()


def sign(secret: str | bytes, timestamp: int, body: str | bytes) -> str:
    """The X-Supajobs-Signature value, "v1=<hex>", for body sent at unix time timestamp."""
    if not secret:
        raise ValueError("webhook signing secret is empty")
    return f"{SCHEME}={_digest(secret, timestamp, body)}"


def signed_headers(
    secret: str | bytes, body: str | bytes, now: float | None = None
) -> dict[str, str]:
    """Both headers for body, timestamped now (for tests, clients and the dev relay)."""
    timestamp = int(time.time() if now is None else now)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(secret, timestamp, body)}


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def _parse_timestamp(raw: str | None) -> int:
    if raw is None or raw.strip() == "":
        raise MissingSignatureError(f"missing {TIMESTAMP_HEADER} header")
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise MalformedSignatureError(f"{TIMESTAMP_HEADER} must be unix seconds, got {raw!r}")
    return int(text)


def _parse_signatures(raw: str | None) -> list[str]:
    if raw is None or raw.strip() == "":
        raise MissingSignatureError(f"missing {SIGNATURE_HEADER} header")
    found: list[str] = []
    for part in raw.split(","):
        scheme, sep, value = part.strip().partition("=")
        if not sep or not value:
            raise MalformedSignatureError(f"{SIGNATURE_HEADER} entries must look like v1=<hex>")
        if scheme == SCHEME:
            found.append(value.strip().lower())
    if not found:
        raise MalformedSignatureError(f"{SIGNATURE_HEADER} has no {SCHEME}= signature")
    return found


def verify(
    secrets: str | bytes | Iterable[str | bytes],
    headers: Mapping[str, str],
    body: str | bytes,
    *,
    now: float | None = None,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> int:
    """Check headers sign body with one of secrets (several during a rotation).

    Returns the signed timestamp. Raises a SignatureError subclass when a header is missing
    or malformed, no signature matches, or the timestamp is more than tolerance_seconds
    in the past or in the future. The timestamp is checked only after the signature, so an
    attacker learns nothing about the clock from the error.
    """
    keys = [secrets] if isinstance(secrets, str | bytes) else list(secrets)
    keys = [key for key in keys if key]
    if not keys:
        raise ValueError("no webhook signing secret configured")
    timestamp = _parse_timestamp(_header(headers, TIMESTAMP_HEADER))
    candidates = _parse_signatures(_header(headers, SIGNATURE_HEADER))
    expected = [_digest(key, timestamp, body) for key in keys]
    # Compare every pair so timing does not reveal which candidate came closest.
    matched = False
    for candidate in candidates:
        for digest in expected:
            matched |= hmac.compare_digest(candidate.encode("ascii", "replace"), digest.encode())
    if not matched:
        raise BadSignatureError("signature does not match the body and timestamp")
    current = time.time() if now is None else now
    if timestamp < current - tolerance_seconds:
        raise StaleTimestampError(f"timestamp is older than {tolerance_seconds} s")
    if timestamp > current + tolerance_seconds:
        raise FutureTimestampError(f"timestamp is more than {tolerance_seconds} s in the future")
    return timestamp
