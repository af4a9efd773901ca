"""The grant RPCs over the SDK client: the token store the refreshers and `supajobs auth`
share. Only service_role can call them; tokens go in and out as SecretStr."""

from __future__ import annotations

from typing import Any

from supajobs.client import AsyncJobsClient
from supajobs_receipts.pipeline import grant_rpc as _registered  # noqa: F401 (allow-list)
from supajobs_receipts.pipeline.grant_rows import (
    GrantRow,
    GrantStatus,
    NewTokens,
    Provider,
    RefreshTicket,
)


class GrantStore:
    def __init__(self, client: AsyncJobsClient) -> None:
        self.client = client

    async def status(self) -> list[GrantStatus]:
        return await self.client.call_many("grant_status", {}, GrantStatus)

    async def get(self, provider: Provider) -> GrantRow | None:
        rows = await self.client.call_many("get_grant", {"provider": provider}, GrantRow)
        return rows[0] if rows else None

    async def store(self, provider: Provider, account: str, tokens: NewTokens,
                    extra: dict[str, Any] | None = None) -> GrantStatus:
        """The first consent (or a new one): replaces whatever was stored."""
        if tokens.refresh_token is None:
            raise ValueError(f"the {provider} token endpoint granted no refresh token")
        rows = await self.client.call_many("store_grant", {
            "provider": provider, "account": account,
            "refresh_token": tokens.refresh_token.get_secret_value(),
            "access_token": tokens.access_token.get_secret_value(),
            "expires_at": tokens.expires_at, "scopes": tokens.scopes or [],
            "extra": extra or {}}, GrantStatus)
        return rows[0]

    async def begin_refresh(self, provider: Provider, holder: str, lease_seconds: int,
                            seen_generation: int | None) -> RefreshTicket:
        rows = await self.client.call_many("begin_refresh", {
            "provider": provider, "holder": holder, "lease_seconds": lease_seconds,
            "seen_generation": seen_generation}, RefreshTicket)
        return rows[0]

    async def finish_refresh(self, provider: Provider, holder: str, generation: int,
                             tokens: NewTokens) -> bool:
        stored = await self.client.call_raw("finish_refresh", {
            "provider": provider, "holder": holder, "generation": generation,
            "access_token": tokens.access_token.get_secret_value(),
            "expires_at": tokens.expires_at,
            "new_refresh_token": (tokens.refresh_token.get_secret_value()
                                  if tokens.refresh_token else None),
            "scopes": tokens.scopes})
        return stored is True

    async def release_refresh(self, provider: Provider, holder: str, reason: str) -> bool:
        released = await self.client.call_raw("release_refresh", {
            "provider": provider, "holder": holder, "reason": reason})
        return released is True

    async def fail_refresh(self, provider: Provider, holder: str, generation: int,
                           reason: str) -> bool:
        failed = await self.client.call_raw("fail_refresh", {
            "provider": provider, "holder": holder, "generation": generation,
            "reason": reason})
        return failed is True
