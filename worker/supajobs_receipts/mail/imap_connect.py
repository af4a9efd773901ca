"""Open and authenticate an IMAP connection, turning imaplib's errors into ours."""

from __future__ import annotations

import contextlib
import imaplib
import socket
import ssl
from collections.abc import Callable

from supajobs_receipts.credentials import GrantError, StaticTokenSource

from .errors import MailAuthError, MailConnectionError
from .imap_settings import ImapSettings, xoauth2_string


def connect(settings: ImapSettings) -> imaplib.IMAP4:
    """A logged-in connection, or MailConnectionError / MailAuthError naming the cause.
    An XOAUTH2 token the server rejects is replaced once (TokenSource.after_rejection)."""
    try:
        source = settings.xoauth2_source()
    except ValueError as exc:
        raise MailAuthError(str(exc)) from None
    if source is None:
        password = settings.password
        assert password is not None
        return _connect(settings, lambda c: c.login(settings.username,
                                                    password.get_secret_value()))
    token = _obtain(lambda: source.access_token())
    try:
        return _connect(settings, _xoauth2_login(settings.username, token))
    except MailAuthError as rejected:
        if isinstance(source, StaticTokenSource):
            raise  # a fixed token cannot be replaced: the server's answer says it all
        del rejected
    fresh = _obtain(lambda: source.after_rejection(token))
    try:
        return _connect(settings, _xoauth2_login(settings.username, fresh))
    except MailAuthError as again:
        raise MailAuthError(f"{again} (also after the token was refreshed)") from None


def _obtain(get: Callable[[], str]) -> str:
    """A token from the source: a grant nobody can use is an auth error (non-retryable),
    a token endpoint that cannot be reached a connection error (retryable)."""
    try:
        return get()
    except GrantError as exc:
        raise MailAuthError(str(exc)) from None
    except OSError as exc:  # TokenEndpointUnavailableError is a ConnectionError
        raise MailConnectionError(f"no XOAUTH2 token: {exc}") from None


def _xoauth2_login(username: str, token: str) -> Callable[[imaplib.IMAP4], object]:
    initial = xoauth2_string(username, token)
    return lambda conn: conn.authenticate("XOAUTH2", _xoauth2_responder(initial))


def _connect(settings: ImapSettings, login: Callable[[imaplib.IMAP4], object]
             ) -> imaplib.IMAP4:
    where = f"IMAP server {settings.address}"
    try:
        conn = _open(settings)
    except (OSError, imaplib.IMAP4.error) as exc:  # ssl.SSLError is an OSError
        raise MailConnectionError(f"cannot connect to {where}: {_describe(exc)}") from exc
    try:
        login(conn)
    except imaplib.IMAP4.abort as exc:
        _close(conn)
        raise MailConnectionError(f"{where} dropped the connection: {exc}") from exc
    except imaplib.IMAP4.error as exc:
        _close(conn)
        method = "password" if settings.password is not None else "XOAUTH2 token"
        raise MailAuthError(
            f"{where} rejected the {method} for user {settings.username!r}: {_text(exc)}"
        ) from exc
    except OSError as exc:
        _close(conn)
        raise MailConnectionError(f"{where} failed during login: {_describe(exc)}") from exc
    return conn


def _open(settings: ImapSettings) -> imaplib.IMAP4:
    host, port, timeout = settings.host, settings.effective_port, settings.timeout
    if settings.security == "ssl":
        return imaplib.IMAP4_SSL(host, port, ssl_context=_context(settings), timeout=timeout)
    conn = imaplib.IMAP4(host, port, timeout=timeout)
    if settings.security == "starttls":
        try:
            conn.starttls(ssl_context=_context(settings))
        except (OSError, imaplib.IMAP4.error):
            _close(conn)
            raise
    return conn


def _xoauth2_responder(initial: bytes) -> Callable[[bytes], bytes]:
    """Answers the first challenge with the token; a later challenge is the server's
    JSON error report (Gmail), which the client must acknowledge with an empty reply."""
    sent = False

    def respond(_challenge: bytes) -> bytes:
        nonlocal sent
        if sent:
            return b""
        sent = True
        return initial

    return respond


def _context(settings: ImapSettings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.ca_file:
        context.load_verify_locations(cafile=settings.ca_file)
    return context


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted ({exc.verify_message})"
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(exc, socket.gaierror):
        return f"host name not resolved ({exc.strerror})"
    return _text(exc) or type(exc).__name__


def _text(exc: BaseException) -> str:
    arg = exc.args[0] if exc.args else ""
    return arg.decode(errors="replace") if isinstance(arg, bytes) else str(arg)


def _close(conn: imaplib.IMAP4) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown()
