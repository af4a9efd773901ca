"""Dashboard authentication: token checks, stateless session cookies, CSRF tokens."""

from __future__ import annotations

import pytest

from supajobs_worker.dashboard.auth import Auth

TOKEN = "a-dashboard-token-of-some-length"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("bad", ["", "short", "   padded-short   "])
def test_short_tokens_are_refused_with_a_clear_message(bad: str) -> None:
    with pytest.raises(ValueError, match="at least 16 characters"):
        Auth(bad)


def test_non_positive_session_ttl_is_refused() -> None:
    with pytest.raises(ValueError, match="session_ttl"):
        Auth(TOKEN, session_ttl=0)


def test_token_matches_only_the_exact_token() -> None:
    auth = Auth(TOKEN)
    assert auth.token_matches(TOKEN)
    assert not auth.token_matches(TOKEN + "x")
    assert not auth.token_matches(TOKEN[:-1])
    assert not auth.token_matches("")


def test_session_cookie_is_valid_until_it_expires() -> None:
    clock = Clock()
    auth = Auth(TOKEN, session_ttl=60, clock=clock)
    cookie = auth.new_session()
    assert auth.session_valid(cookie)
    clock.now += 61
    assert not auth.session_valid(cookie)


@pytest.mark.parametrize("mangle", [
    lambda c: c[:-1] + ("0" if c[-1] != "0" else "1"),   # signature changed
    lambda c: "1" + c,                                    # issued-at changed
    lambda c: c.rsplit(".", 1)[0],                        # signature dropped
    lambda c: "garbage",
])
def test_tampered_cookies_are_refused(mangle: object) -> None:
    auth = Auth(TOKEN)
    cookie = auth.new_session()
    assert not auth.session_valid(mangle(cookie))  # type: ignore[operator]


def test_cookies_from_another_token_are_refused() -> None:
    cookie = Auth("another-token-of-some-length").new_session()
    assert not Auth(TOKEN).session_valid(cookie)


def test_csrf_token_is_bound_to_the_session() -> None:
    auth = Auth(TOKEN)
    one, two = auth.new_session(), auth.new_session()
    assert auth.csrf_token(one) == auth.csrf_token(one)
    assert auth.csrf_token(one) != auth.csrf_token(two)
