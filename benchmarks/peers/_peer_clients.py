"""pgqueuer's and procrastinate's client side, each as its documentation shows."""

from __future__ import annotations

import json
import os
from typing import Any

from _systems import JOB, payloads, scalar_row


class Pgqueuer:
    """Queries.enqueue over an asyncpg connection (a list of entrypoints = one batch insert)."""

    name = "pgqueuer"

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn: Any = None
        self.queries: Any = None

    async def open(self) -> None:
        import asyncpg  # type: ignore[import-untyped]  # no stubs published
        from pgqueuer.db import AsyncpgDriver
        from pgqueuer.queries import Queries

        self.conn = await asyncpg.connect(self.url)
        self.queries = Queries(AsyncpgDriver(self.conn))

    async def enqueue_one(self, payload: dict[str, Any]) -> None:
        await self.queries.enqueue(JOB, json.dumps(payload).encode())

    async def enqueue_many(self, payloads: list[dict[str, Any]]) -> None:
        await self.queries.enqueue([JOB] * len(payloads),
                                   [json.dumps(p).encode() for p in payloads], [0] * len(payloads))

    async def seed(self, count: int) -> None:
        await self.enqueue_many(payloads(0, count))  # one statement, one transaction

    async def close(self) -> None:
        if self.conn is not None:
            await self.conn.close()

    def reset(self) -> None:
        scalar_row(self.url, "cmp_reset_pgqueuer")

    def pending(self) -> int:
        return int(scalar_row(self.url, "cmp_pending_pgqueuer")[0])

    def done(self) -> int:
        return int(scalar_row(self.url, "cmp_done_pgqueuer")[0])


class Procrastinate:
    """task.defer_async / task.batch_defer_async through App(PsycopgConnector)."""

    name = "procrastinate"

    def __init__(self, url: str) -> None:
        self.url = url
        os.environ["BENCH_PROCRASTINATE_DSN"] = url  # read when procrastinate_app is imported
        import procrastinate_app

        self.module: Any = procrastinate_app
        self._ctx: Any = None

    async def open(self) -> None:
        self._ctx = self.module.app.open_async()
        await self._ctx.__aenter__()

    async def enqueue_one(self, payload: dict[str, Any]) -> None:
        await self.module.bench_noop.defer_async(**payload)

    async def enqueue_many(self, payloads: list[dict[str, Any]]) -> None:
        await self.module.bench_noop.batch_defer_async(*payloads)

    async def seed(self, count: int) -> None:
        await self.enqueue_many(payloads(0, count))  # one statement, one transaction

    async def close(self) -> None:
        if self._ctx is not None:
            await self._ctx.__aexit__(None, None, None)

    def reset(self) -> None:
        scalar_row(self.url, "cmp_reset_procrastinate")

    def pending(self) -> int:
        return int(scalar_row(self.url, "cmp_pending_procrastinate")[0])

    def done(self) -> int:
        return int(scalar_row(self.url, "cmp_done_procrastinate")[0])
