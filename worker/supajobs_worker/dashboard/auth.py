"""Who may see the dashboard: a bearer token, or a session cookie bought with that token.

The cookie is stateless (issued-at, nonce, HMAC) so several worker instances accept the same
session; the key is derived from the token, so rotating the token logs everybody out. Actions
made with a cookie also need the CSRF token derived from that session (browsers attach
cookies to cross-site requests, never Authorization headers).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request

SESSION_COOKIE = "supajobs_dashboard"
CSRF_HEADER = "x-csrf-token"
MIN_TOKEN_LENGTH = 16


@dataclass(frozen=True)
class Principal:
    kind: str  # "bearer" or "session"
    session: str | None = None  # the cookie itself: a credential, never to be recorded

    @property
    def name(self) -> str:
        """Who acted, as far as one shared token can tell, fit for an audit record: 'bearer',
        or 'session-' and a digest of the session cookie (one per sign-in; the cookie cannot
        be recovered from it)."""
        if self.kind != "session" or self.session is None:
            return self.kind
        return "session-" + hashlib.sha256(self.session.encode()).hexdigest()[:12]


def _equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class Auth:
    def __init__(self, token: str, *, session_ttl: float = 12 * 3600,
                 clock: Callable[[], float] = time.time) -> None:
        if not isinstance(token, str) or len(token.strip()) < MIN_TOKEN_LENGTH:
            raise ValueError(
                f"dashboard token must be a string of at least {MIN_TOKEN_LENGTH} characters "
                "(use the service-role key or a long random token)")
        if session_ttl <= 0:
            raise ValueError("session_ttl must be positive")
        self._token = token.strip()
        self._key = hashlib.sha256(b"supajobs-dashboard:" + self._token.encode()).digest()
        self._ttl = session_ttl
        self._clock = clock

    def _sign(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    def token_matches(self, candidate: str) -> bool:
        return _equal(candidate.strip(), self._token)

    def new_session(self) -> str:
        value = f"{int(self._clock())}.{secrets.token_hex(16)}"
        return f"{value}.{self._sign(value)}"

    def session_valid(self, cookie: str) -> bool:
        issued, _, rest = cookie.partition(".")
        nonce, _, signature = rest.partition(".")
        if not (issued.isdigit() and nonce and signature):
            return False
        if not _equal(signature, self._sign(f"{issued}.{nonce}")):
            return False
        age = self._clock() - int(issued)
        return 0 <= age <= self._ttl

    def csrf_token(self, session: str) -> str:
        return self._sign(f"csrf:{session}")

    def identify(self, request: Request) -> Principal | None:
        header = request.headers.get("authorization", "")
        scheme, _, credential = header.partition(" ")
        if scheme.lower() == "bearer" and credential:
            return Principal("bearer") if self.token_matches(credential) else None
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie and self.session_valid(cookie):
            return Principal("session", cookie)
        return None

    def csrf_ok(self, principal: Principal, request: Request) -> bool:
        """Bearer callers need no CSRF token; cookie callers must echo theirs."""
        if principal.kind == "bearer" or principal.session is None:
            return True
        sent = request.headers.get(CSRF_HEADER, "")
        return bool(sent) and _equal(sent, self.csrf_token(principal.session))
