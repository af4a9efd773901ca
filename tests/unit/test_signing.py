"""Webhook signing and verification (pure Python; the SQL twin is tested in integration)."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supajobs import signing
from supajobs.signing import (
    BadSignatureError,
    FutureTimestampError,
    MalformedSignatureError,
    MissingSignatureError,
    StaleTimestampError,
    sign,
    signed_headers,
    verify,
)

SECRET = "s3cret"
NOW = 1_800_000_000
BODY = b'{"due": 3, "reason": "enqueue"}'


def headers_for(body: bytes = BODY, ts: int = NOW, secret: str = SECRET) -> dict[str, str]:
    return {"X-Supajobs-Timestamp": str(ts), "X-Supajobs-Signature": sign(secret, ts, body)}


def test_sign_is_hmac_sha256_over_timestamp_dot_body() -> None:
    expected = hmac.new(b"key", b"1700000000.hello", hashlib.sha256).hexdigest()
    assert sign("key", 1700000000, "hello") == f"v1={expected}"
    assert sign(b"key", 1700000000, b"hello") == f"v1={expected}"


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="secret is empty"):
        sign("", NOW, BODY)
    with pytest.raises(ValueError, match="no webhook signing secret"):
        verify(["", b""], headers_for(), BODY, now=NOW)


@given(body=st.binary(max_size=2000), ts=st.integers(min_value=0, max_value=10**11))
def test_round_trip(body: bytes, ts: int) -> None:
    assert verify(SECRET, headers_for(body, ts), body, now=ts) == ts


@given(body=st.text(max_size=500), extra=st.binary(min_size=1, max_size=20))
def test_any_change_to_the_body_is_rejected(body: str, extra: bytes) -> None:
    headers = headers_for(body.encode(), NOW)
    with pytest.raises(BadSignatureError):
        verify(SECRET, headers, body.encode() + extra, now=NOW)


def test_header_names_are_case_insensitive() -> None:
    lowered = {k.lower(): v for k, v in headers_for().items()}
    assert verify(SECRET, lowered, BODY, now=NOW) == NOW


def test_wrong_secret_and_changed_timestamp_are_rejected() -> None:
    with pytest.raises(BadSignatureError, match="does not match"):
        verify("other", headers_for(), BODY, now=NOW)
    moved = headers_for() | {"X-Supajobs-Timestamp": str(NOW + 1)}
    with pytest.raises(BadSignatureError):
        verify(SECRET, moved, BODY, now=NOW)


def test_rotation_accepts_any_configured_secret_and_any_listed_signature() -> None:
    assert verify(["new", SECRET], headers_for(), BODY, now=NOW) == NOW
    both = headers_for(secret="old")
    both["X-Supajobs-Signature"] += "," + sign("new", NOW, BODY)
    assert verify("new", both, BODY, now=NOW) == NOW


@pytest.mark.parametrize(
    ("headers", "error", "reason"),
    [
        ({}, MissingSignatureError, "missing_signature"),
        ({"X-Supajobs-Timestamp": str(NOW)}, MissingSignatureError, "missing_signature"),
        ({"X-Supajobs-Signature": "v1=00"}, MissingSignatureError, "missing_signature"),
        ({"X-Supajobs-Timestamp": "soon", "X-Supajobs-Signature": "v1=00"},
         MalformedSignatureError, "malformed_signature"),
        ({"X-Supajobs-Timestamp": "-5", "X-Supajobs-Signature": "v1=00"},
         MalformedSignatureError, "malformed_signature"),
        ({"X-Supajobs-Timestamp": "9" * 5000, "X-Supajobs-Signature": "v1=00"},
         MalformedSignatureError, "malformed_signature"),
        ({"X-Supajobs-Timestamp": str(NOW), "X-Supajobs-Signature": "deadbeef"},
         MalformedSignatureError, "malformed_signature"),
        ({"X-Supajobs-Timestamp": str(NOW), "X-Supajobs-Signature": "v0=deadbeef"},
         MalformedSignatureError, "malformed_signature"),
        ({"X-Supajobs-Timestamp": str(NOW), "X-Supajobs-Signature": "v1=\uff44\uff45\uff41\uff44"},
         BadSignatureError, "bad_signature"),
    ],
)
def test_bad_headers_name_the_problem(
    headers: dict[str, str], error: type[signing.SignatureError], reason: str
) -> None:
    with pytest.raises(error) as caught:
        verify(SECRET, headers, BODY, now=NOW)
    assert caught.value.reason == reason
    assert isinstance(caught.value, signing.SignatureError)


def test_timestamp_window_is_five_minutes_both_ways() -> None:
    assert verify(SECRET, headers_for(ts=NOW - 300), BODY, now=NOW) == NOW - 300
    assert verify(SECRET, headers_for(ts=NOW + 300), BODY, now=NOW) == NOW + 300
    with pytest.raises(StaleTimestampError, match="older than 300 s") as stale:
        verify(SECRET, headers_for(ts=NOW - 301), BODY, now=NOW)
    assert stale.value.reason == "stale_timestamp"
    with pytest.raises(FutureTimestampError, match="in the future") as future:
        verify(SECRET, headers_for(ts=NOW + 301), BODY, now=NOW)
    assert future.value.reason == "future_timestamp"


def test_tolerance_is_configurable() -> None:
    with pytest.raises(StaleTimestampError):
        verify(SECRET, headers_for(ts=NOW - 11), BODY, now=NOW, tolerance_seconds=10)


def test_signed_headers_verify() -> None:
    headers = signed_headers(SECRET, BODY, now=NOW + 0.9)
    assert headers["X-Supajobs-Timestamp"] == str(NOW)
    assert verify(SECRET, headers, BODY, now=NOW) == NOW
