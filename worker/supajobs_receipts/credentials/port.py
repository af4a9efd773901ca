"""What a Google or freee client needs from the credentials: a valid access token, and a new
one when the remote side rejected the last (expired early, revoked, rotated elsewhere)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


class GrantError(Exception):
    """No usable grant for a provider: retrying cannot help, a person must act."""

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(message)
        self.provider = provider


class GrantMissingError(GrantError):
    """Nothing stored for the provider: the first consent never ran."""

    def __init__(self, provider: str) -> None:
        super().__init__(provider, f"no {provider} grant stored: run `supajobs auth {provider}` "
                         "to connect the account")


class GrantRevokedError(GrantError):
    """The provider refused the refresh token (invalid_grant): revoked, expired or reused."""

    def __init__(self, provider: str, detail: str) -> None:
        super().__init__(provider, f"the {provider} grant is no longer valid ({detail}): run "
                         f"`supajobs auth {provider}` again to re-authorise")


@runtime_checkable
class TokenSource(Protocol):
    """Blocking on purpose: the mail sources and file stores run in worker threads."""

    provider: str

    def access_token(self) -> str:
        """A token valid for a while yet; refreshed first when it is about to expire."""
        ...

    def after_rejection(self, rejected: str) -> str:
        """The remote side answered 401 to `rejected`: a fresh token (refreshed unless another
        worker already did), or GrantRevokedError."""
        ...


class StaticTokenSource:
    """A fixed token (SUPAJOBS_IMAP_OAUTH_TOKEN, tests): a rejection cannot be repaired."""

    def __init__(self, provider: str, token: str) -> None:
        self.provider = provider
        self._token = token

    def access_token(self) -> str:
        return self._token

    def after_rejection(self, rejected: str) -> str:
        raise GrantRevokedError(self.provider, "the fixed access token was rejected")
