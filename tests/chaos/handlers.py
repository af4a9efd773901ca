"""The chaos handler, run inside real worker processes (`--import chaos.handlers`).

Each attempt writes one idempotent effect row keyed by job id, halfway through its sleep, so
a SIGKILL can land before the effect, between the effect and `complete`, or after both.
`n` counts executions and `attempts` lists which attempt wrote it: a doubled effect within
one attempt (the same attempt number twice) would be a real double run.
"""

from __future__ import annotations

import asyncio
import os

from psycopg_pool import AsyncConnectionPool
from pydantic import BaseModel, Field

from supajobs_worker.registry import JobContext, NonRetryableError, handler

DB_URL_ENV = "CHAOS_DB_URL"
POISON_ERROR = "injected poison"
UPSERT_EFFECT = (
    "insert into chaos_effects (job_id, n, attempts, workers) values (%s, 1, array[%s], array[%s])"
    " on conflict (job_id) do update set n = chaos_effects.n + 1,"
    " attempts = chaos_effects.attempts || excluded.attempts,"
    " workers = chaos_effects.workers || excluded.workers")

_pool: AsyncConnectionPool | None = None
_lock = asyncio.Lock()


class ChaosPayload(BaseModel):
    sleep_ms: int = Field(ge=0, le=60_000)
    poison: bool = False  # the test injects these: they must end as dead letters, nothing else


async def _effects_pool() -> AsyncConnectionPool:
    global _pool
    async with _lock:
        if _pool is None:
            # check= tests a pooled connection before use: after a PostgreSQL restart the
            # old ones are dead and must be replaced, not handed to the handler
            # behind a transaction pooler: no prepared statements (SUPAJOBS_DB_PREPARE=off)
            prepare = None if os.environ.get("SUPAJOBS_DB_PREPARE") == "off" else 5
            _pool = AsyncConnectionPool(os.environ[DB_URL_ENV], min_size=1, max_size=8,
                                        open=False, kwargs={"autocommit": True,
                                                            "prepare_threshold": prepare},
                                        check=AsyncConnectionPool.check_connection)
            await _pool.open(wait=False)
        return _pool


@handler("chaos_effect", payload=ChaosPayload)
async def effect(payload: ChaosPayload, ctx: JobContext) -> dict[str, int]:
    if payload.poison:
        raise NonRetryableError(POISON_ERROR)
    await asyncio.sleep(payload.sleep_ms / 2000)
    pool = await _effects_pool()
    async with pool.connection(timeout=10) as conn:
        await conn.execute(UPSERT_EFFECT, [ctx.job_id, ctx.attempt, ctx.worker_id])
    await asyncio.sleep(payload.sleep_ms / 2000)
    return {"attempt": ctx.attempt}
