"""Record outcomes in batches: completions and failures that finish within a few
milliseconds of each other share one complete_jobs / fail_jobs call."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from supajobs.claimed import WorkItem
from supajobs.client import AsyncJobsClient
from supajobs.errors import SupajobsError
from supajobs_worker.execute import Verdict
from supajobs_worker.metrics import WorkerMetrics

log = logging.getLogger("supajobs_worker.results")


class _Batch:
    def __init__(self, fn: str, arg: str) -> None:
        self.fn, self.arg = fn, arg
        self.items: list[dict[str, Any]] = []
        self.waiters: list[asyncio.Future[str]] = []


class ResultRecorder:
    """complete(...) / fail(...) return a future of the outcome the database gave."""

    def __init__(self, client: AsyncJobsClient, worker_id: str, *,
                 interval: float = 0.005, max_items: int = 100) -> None:
        self._client, self._worker_id = client, worker_id
        self._interval, self._max_items = interval, max_items
        self._pending = {"complete": _Batch("complete_jobs", "completions"),
                         "fail": _Batch("fail_jobs", "failures")}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def complete(self, job_id: int, attempt: int, result: Any,
                 metadata: dict[str, Any] | None = None) -> asyncio.Future[str]:
        return self.submit("complete", {"job_id": job_id, "attempt": attempt,
                                        "result": result, "metadata": metadata or {}})

    def fail(self, job_id: int, attempt: int, error: str, *, retryable: bool = True,
             timed_out: bool = False, metadata: dict[str, Any] | None = None
             ) -> asyncio.Future[str]:
        return self.submit("fail", {"job_id": job_id, "attempt": attempt, "error": error,
                                    "retryable": retryable, "timed_out": timed_out,
                                    "metadata": metadata or {}})

    def submit(self, kind: str, item: dict[str, Any]) -> asyncio.Future[str]:
        """Queue one result; the future gets the database's outcome. The write happens
        whether or not anybody still awaits the future."""
        batch = self._pending[kind]
        waiter: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        batch.items.append(item)
        batch.waiters.append(waiter)
        if len(batch.items) >= self._max_items:
            self._flush(kind)
        elif kind not in self._timers:
            self._timers[kind] = asyncio.get_running_loop().call_later(
                self._interval, self._flush, kind)
        return waiter

    def flush(self) -> None:
        """Send what is pending now (nothing else is about to join the batch)."""
        for kind in self._pending:
            self._flush(kind)

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
        try:  # rows read directly: validating an Outcome model per job costs µs each
            rows = await self._client.call_raw(
                batch.fn, {"worker_id": self._worker_id, batch.arg: batch.items})
            try:
                by_id = {int(row["job_id"]): str(row["outcome"]) for row in rows}
            except (KeyError, TypeError, ValueError) as bad:
                raise SupajobsError(f"{batch.fn} returned malformed rows: {bad!r}") from bad
        except Exception as exc:  # the lease will expire and the sweeper retries the job
            log.error("%s for %d jobs failed: %s", batch.fn, len(batch.items), exc)
            for waiter in batch.waiters:
                if not waiter.done():
                    waiter.set_exception(exc)
            return
        for item, waiter in zip(batch.items, batch.waiters, strict=True):
            if not waiter.done():
                waiter.set_result(by_id.get(item["job_id"], "lease_lost"))

    async def drain(self) -> None:
        """Send everything pending now and wait for it (shutdown)."""
        self.flush()
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


def submit(recorder: ResultRecorder, metrics: WorkerMetrics, job: WorkItem,
           verdict: Verdict) -> asyncio.Future[str]:
    """Queue one verdict (batched); the future gets the outcome."""
    metrics.of(job.job_type).observe(verdict.seconds)
    meta: dict[str, Any] = {"duration_s": round(verdict.seconds, 6)}
    if verdict.ok:
        return recorder.complete(job.id, job.attempts, verdict.result, meta)
    meta["reason"] = verdict.reason
    return recorder.fail(job.id, job.attempts, verdict.error, retryable=verdict.retryable,
                         timed_out=verdict.timed_out, metadata=meta)


def count(metrics: WorkerMetrics, job: WorkItem, verdict: Verdict, outcome: str) -> None:
    if outcome == "lease_lost":
        metrics.of(job.job_type).lost += 1
    elif verdict.ok:
        metrics.of(job.job_type).completed += 1
    else:
        metrics.fail(job.job_type, verdict.reason)

