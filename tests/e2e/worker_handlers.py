"""Handlers the end-to-end tests run in real worker processes (`--import e2e.worker_handlers`)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from pydantic import BaseModel, Field

from supajobs_worker.registry import JobContext, NonRetryableError, handler


class Sleep(BaseModel):
    seconds: float = Field(ge=0, le=600)
    marker: str | None = None  # a file created when the handler starts (tests wait on it)
    fail: bool = False
    later_seconds: float | None = None  # attempts after the first sleep this long instead


@handler("e2e_sleep", payload=Sleep)
async def sleep(payload: Sleep, ctx: JobContext) -> dict[str, object]:
    if payload.marker:
        Path(payload.marker).write_text(f"{ctx.job_id}:{ctx.attempt}:{os.getpid()}")
    if payload.fail:
        raise NonRetryableError("asked to fail")
    seconds = payload.seconds
    if ctx.attempt > 1 and payload.later_seconds is not None:
        seconds = payload.later_seconds
    await asyncio.sleep(seconds)
    return {"slept": seconds, "attempt": ctx.attempt, "worker": ctx.worker_id}


@handler("e2e_noop")
async def noop(payload: BaseModel, ctx: JobContext) -> None:
    return None
