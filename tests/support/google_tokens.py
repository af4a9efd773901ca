"""A TokenSource double for the Google fakes: numbered tokens, a new one per rejection."""

from __future__ import annotations

from supajobs_receipts.credentials import GrantError, GrantRevokedError


class CountingTokens:
    provider = "google"

    def __init__(self, *, revoked_after: int | None = None) -> None:
        self.number = 1
        self.rejections: list[str] = []
        self.revoked_after = revoked_after

    @property
    def current(self) -> str:
        return f"ya29.secret-token-{self.number}"

    def access_token(self) -> str:
        return self.current

    def after_rejection(self, rejected: str) -> str:
        self.rejections.append(rejected)
        if self.revoked_after is not None and len(self.rejections) > self.revoked_after:
            raise GrantRevokedError(self.provider, "invalid_grant")
        if rejected == self.current:
            self.number += 1
        return self.current


class NoGrant:
    provider = "google"

    def __init__(self, error: GrantError) -> None:
        self.error = error

    def access_token(self) -> str:
        raise self.error

    def after_rejection(self, rejected: str) -> str:
        raise self.error
