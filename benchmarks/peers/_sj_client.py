"""supajobs' client side: the SDK (AsyncJobsClient) over a direct PostgreSQL connection, with
the SDK's default driver, asyncpg (psycopg: see _enqueue_breakdown)."""

from __future__ import annotations

from typing import Any

import psycopg
from _sql import load
from _systems import JOB, payloads, scalar_row
from psycopg.types.json import Jsonb

from supajobs.client import AsyncJobsClient
from supajobs.config import direct_transport


class Supajobs:
    """The SDK over a direct connection (as service_role, as on Supabase); driver: asyncpg
    (the SDK's default) or psycopg."""

    name = "supajobs"

    def __init__(self, url: str, driver: str = "asyncpg") -> None:
        self.url = url
        self.driver = driver
        self.client: AsyncJobsClient | None = None

    async def open(self) -> None:
        self.client = AsyncJobsClient(direct_transport(self.url, role="service_role",
                                                       driver=self.driver, max_size=1))

    async def enqueue_one(self, payload: dict[str, Any]) -> None:
        assert self.client is not None
        await self.client.enqueue(JOB, payload)

    async def enqueue_many(self, payloads: list[dict[str, Any]]) -> None:
        """The SDK's bulk call that answers ids (as pgqueuer's does); enqueue_many, which
        answers whole Job models, is measured in benchmarks/profile_worker.py."""
        assert self.client is not None
        await self.client.enqueue_many_ids([{"job_type": JOB, "payload": p} for p in payloads])

    async def seed(self, count: int) -> None:
        """All jobs in one transaction (the SDK caps a batch at 10,000): one wake-up."""
        with psycopg.connect(self.url) as conn:
            conn.execute(load("service_role"))
            for first in range(0, count, 1000):
                items = [{"job_type": JOB, "payload": p}
                         for p in payloads(first, min(1000, count - first))]
                conn.execute(load("sj_enqueue_batch"), {"items": Jsonb(items)})
            conn.commit()

    async def close(self) -> None:
        if self.client is not None:
            await self.client.aclose()

    def reset(self) -> None:
        scalar_row(self.url, "sj_reset")

    def pending(self) -> int:
        return int(scalar_row(self.url, "cmp_pending_supajobs")[0])

    def done(self) -> int:
        succeeded, completed = (int(v) for v in scalar_row(self.url, "cmp_done_supajobs"))
        if succeeded != completed:  # the history promise: one completed attempt per job
            raise RuntimeError(f"supajobs: {succeeded} succeeded but {completed} completed rows")
        return succeeded
