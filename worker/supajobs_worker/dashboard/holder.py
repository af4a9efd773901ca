"""One SDK client per dashboard, made on first use (the worker may mount us before the
database is reachable) and closed with the app."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from supajobs import AsyncJobsClient

ClientFactory = Callable[[], AsyncJobsClient]


class ClientHolder:
    def __init__(self, factory: ClientFactory) -> None:
        self._factory = factory
        self._client: AsyncJobsClient | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> AsyncJobsClient:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    self._client = self._factory()
        return self._client

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()
