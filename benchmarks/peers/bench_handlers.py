"""The supajobs no-op handler (`supajobs-worker ... --import bench_handlers`)."""

from __future__ import annotations

from _latency import record
from pydantic import BaseModel

from supajobs_worker.registry import JobContext, handler


class Noop(BaseModel):
    n: int | None = None
    t: float | None = None  # wake-latency stamp (time.time() at enqueue)


@handler("bench_noop", payload=Noop)
async def noop(payload: Noop, ctx: JobContext) -> None:
    if payload.t is not None:
        record(payload.t)
