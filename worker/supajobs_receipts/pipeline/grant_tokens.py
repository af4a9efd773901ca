"""Access tokens from the stored grant, refreshed before they expire, by one worker at a time.

access_token() returns the stored token while it has more than `margin` left; otherwise the
caller asks for the lease (begin_refresh): the holder refreshes through the token endpoint and
stores the result with the generation bump (finish_refresh); everyone else waits a little and
reads what the holder stored. invalid_grant marks the grant revoked (fail_refresh, which raises
the alert) and is GrantRevokedError; network trouble gives the lease back and is
TokenEndpointUnavailableError (retryable).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable

from pydantic import SecretStr

from supajobs_receipts.credentials import GrantMissingError, GrantRevokedError
from supajobs_receipts.pipeline import token_endpoint
from supajobs_receipts.pipeline.grant_rows import NewTokens, RefreshTicket
from supajobs_receipts.pipeline.grant_store import GrantStore
from supajobs_receipts.pipeline.oauth_settings import OAuthClient
from supajobs_receipts.pipeline.token_endpoint import (
    GrantRejectedError,
    TokenEndpointUnavailableError,
)

log = logging.getLogger(__name__)
Refresh = Callable[[OAuthClient, SecretStr], Awaitable[NewTokens]]


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class GrantTokens:
    def __init__(self, store: GrantStore, client: OAuthClient, *,
                 margin: dt.timedelta = dt.timedelta(minutes=5), lease_seconds: int = 60,
                 poll_seconds: float = 0.2, refresh: Refresh = token_endpoint.refresh) -> None:
        if lease_seconds < 2 * token_endpoint.TOKEN_TIMEOUT:
            raise ValueError("lease_seconds must be at least twice the token request timeout, "
                             "or a slow refresh could outlive its lease")
        self.provider = client.provider
        self.store, self.client, self.margin = store, client, margin
        self.lease_seconds, self.poll_seconds = lease_seconds, poll_seconds
        self.holder = holder_name()
        self._refresh = refresh
        self._cached: tuple[SecretStr, dt.datetime] | None = None

    def _fresh(self, token: SecretStr | None, expires_at: dt.datetime | None) -> bool:
        return (token is not None and expires_at is not None
                and expires_at - dt.datetime.now(dt.UTC) > self.margin)

    def _keep(self, token: SecretStr, expires_at: dt.datetime) -> str:
        self._cached = (token, expires_at)
        return token.get_secret_value()

    async def access_token(self) -> str:
        if self._cached is not None and self._fresh(*self._cached):
            return self._cached[0].get_secret_value()
        grant = await self.store.get(self.provider)
        if grant is None:
            raise GrantMissingError(self.provider)
        if grant.status == "revoked":
            raise GrantRevokedError(self.provider, grant.last_error or "revoked")
        if grant.access_token is not None and grant.expires_at is not None \
                and self._fresh(grant.access_token, grant.expires_at):
            return self._keep(grant.access_token, grant.expires_at)
        return await self._renew(grant.generation, rejected=None)

    async def after_rejection(self, rejected: str) -> str:
        """The remote side answered 401 to `rejected`: a token someone else stored since,
        or a refresh (expiry notwithstanding: the provider knows better)."""
        self._cached = None
        grant = await self.store.get(self.provider)
        if grant is None:
            raise GrantMissingError(self.provider)
        if grant.status == "revoked":
            raise GrantRevokedError(self.provider, grant.last_error or "revoked")
        current = grant.access_token
        if current is not None and current.get_secret_value() != rejected \
                and grant.expires_at is not None and self._fresh(current, grant.expires_at):
            return self._keep(current, grant.expires_at)
        return await self._renew(grant.generation, rejected=rejected)

    async def _renew(self, seen: int, rejected: str | None) -> str:
        waited_until = time.monotonic() + self.lease_seconds + 5
        while True:
            ticket = await self.store.begin_refresh(self.provider, self.holder,
                                                    self.lease_seconds, seen)
            if ticket.outcome == "acquired":
                return await self._rotate(ticket)
            if ticket.outcome == "missing":
                raise GrantMissingError(self.provider)
            if ticket.outcome == "revoked":
                grant = await self.store.get(self.provider)
                raise GrantRevokedError(self.provider,
                                        (grant.last_error if grant else None) or "revoked")
            if ticket.outcome == "rotated":
                token, expires_at = ticket.access_token, ticket.expires_at
                if token is not None and expires_at is not None and self._fresh(
                        token, expires_at) and token.get_secret_value() != rejected:
                    return self._keep(token, expires_at)
                assert ticket.generation is not None
                seen = ticket.generation  # rotated but no better: refresh that generation
                continue
            if time.monotonic() > waited_until:  # busy for longer than any lease lasts
                raise TokenEndpointUnavailableError(
                    f"another worker has held the {self.provider} refresh lease too long")
            await asyncio.sleep(self.poll_seconds)

    async def _rotate(self, ticket: RefreshTicket) -> str:
        assert ticket.refresh_token is not None and ticket.generation is not None
        try:
            tokens = await self._refresh(self.client, ticket.refresh_token)
        except GrantRejectedError as exc:
            await self.store.fail_refresh(self.provider, self.holder, ticket.generation,
                                          str(exc))
            log.error("the %s grant was refused: %s; run `supajobs auth %s`", self.provider,
                      exc.error, self.provider)
            raise GrantRevokedError(self.provider, exc.error) from None
        except BaseException as exc:  # network, 5xx, client misconfigured, cancelled
            reason = str(exc) if isinstance(exc, Exception) else type(exc).__name__
            await asyncio.shield(self.store.release_refresh(self.provider, self.holder,
                                                            reason[:300]))
            raise
        if not await self.store.finish_refresh(self.provider, self.holder, ticket.generation,
                                               tokens):
            raise TokenEndpointUnavailableError(
                f"the {self.provider} refresh lease was lost before the new tokens were stored")
        log.info("refreshed the %s access token", self.provider,
                 extra={"provider": self.provider, "generation": ticket.generation + 1})
        return self._keep(tokens.access_token, tokens.expires_at)
