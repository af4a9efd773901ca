"""Record outcomes in batches: completions and failures that finish within a few
milliseconds of each other share one complete_jobs / fail_jobs call."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from supajobs.client import AsyncJobsClient
from supajobs.models import Job, Outcome
from supajobs_worker.execute import Verdict
from supajobs_worker.metrics import WorkerMetrics

log = logging.getLogger("supajobs_worker.results")


class _Batch:
    def __init__(self, fn: str, arg: str) -> None:
        self.fn, self.arg = fn, arg
        self.items: list[dict[str, Any]] = []
        self.waiters: list[asyncio.Future[str]] = []


class ResultRecorder:
    """`await complete(...)` / `await fail(...)` return the outcome the database gave."""

    def __init__(self, client: AsyncJobsClient, worker_id: str, *,
                 interval: float = 0.005, max_items: int = 100) -> None:
        self._client, self._worker_id = client, worker_id
        self._interval, self._max_items = interval, max_items
        self._pending = {"complete": _Batch("complete_jobs", "completions"),
                         "fail": _Batch("fail_jobs", "failures")}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def complete(self, job_id: int, attempt: int, result: Any,
                       metadata: dict[str, Any] | None = None) -> str:
        return await self._add("complete", {"job_id": job_id, "attempt": attempt,
                                            "result": result, "metadata": metadata or {}})

    async def fail(self, job_id: int, attempt: int, error: str, *, retryable: bool = True,
                   timed_out: bool = False, metadata: dict[str, Any] | None = None) -> str:
        return await self._add("fail", {"job_id": job_id, "attempt": attempt, "error": error,
                                        "retryable": retryable, "timed_out": timed_out,
                                        "metadata": metadata or {}})

    async def _add(self, kind: str, item: dict[str, Any]) -> str:
        batch = self._pending[kind]
        waiter: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        batch.items.append(item)
        batch.waiters.append(waiter)
        if len(batch.items) >= self._max_items:
            self._flush(kind)
        elif kind not in self._timers:
            self._timers[kind] = asyncio.get_running_loop().call_later(
                self._interval, self._flush, kind)
        return await asyncio.shield(waiter)  # a cancelled caller must not lose the write

    def _flush(self, kind: str) -> None:
        timer = self._timers.pop(kind, None)
        if timer is not None:
            timer.cancel()
        batch = self._pending[kind]
        if not batch.items:
            return
        self._pending[kind] = _Batch(batch.fn, batch.arg)
        task = asyncio.get_running_loop().create_task(self._send(batch))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, batch: _Batch) -> None:
        try:
            outcomes = await self._client.call_many(
                batch.fn, {"worker_id": self._worker_id, batch.arg: batch.items}, Outcome)
        except Exception as exc:  # the lease will expire and the sweeper retries the job
            log.error("%s for %d jobs failed: %s", batch.fn, len(batch.items), exc)
            for waiter in batch.waiters:
                if not waiter.done():
                    waiter.set_exception(exc)
            return
        by_id = {o.job_id: o.outcome for o in outcomes}
        for item, waiter in zip(batch.items, batch.waiters, strict=True):
            if not waiter.done():
                waiter.set_result(by_id.get(item["job_id"], "lease_lost"))

    async def drain(self) -> None:
        """Send everything pending now and wait for it (shutdown)."""
        for kind in list(self._pending):
            self._flush(kind)
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


async def record(recorder: ResultRecorder, metrics: WorkerMetrics, job: Job,
                 verdict: Verdict) -> None:
    """Write one verdict (batched) and count it."""
    metrics.duration.labels(job.job_type).observe(verdict.seconds)
    meta: dict[str, Any] = {"duration_s": round(verdict.seconds, 6)}
    if verdict.ok:
        outcome = await recorder.complete(job.id, job.attempts, verdict.result, meta)
    else:
        meta["reason"] = verdict.reason
        outcome = await recorder.fail(job.id, job.attempts, verdict.error,
                                      retryable=verdict.retryable,
                                      timed_out=verdict.timed_out, metadata=meta)
    if outcome == "lease_lost":
        metrics.lost.labels(job.job_type).inc()
    elif verdict.ok:
        metrics.completed.labels(job.job_type).inc()
    else:
        metrics.failed.labels(job.job_type, verdict.reason).inc()

