"""Record outcomes in batches: completions and failures that finish within a few
milliseconds of each other share one complete_jobs / fail_jobs call.

Each result carries a callback that gets the database's outcome (None if the write failed):
no future and no task wake-up per job, which cost µs each at thousands of jobs a second."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from supajobs.claimed import WorkItem
from supajobs.client import AsyncJobsClient
from supajobs.errors import PoolExhaustedError, SupajobsError
from supajobs_worker.execute import Verdict
from supajobs_worker.metrics import WorkerMetrics

log = logging.getLogger("supajobs_worker.results")

POOL_RETRY_SECONDS = 0.5
Written = Callable[[str | None], None]  # the outcome ("completed", "lease_lost", ...) or None


class _Batch:
    def __init__(self, fn: str, arg: str) -> None:
        self.fn, self.arg = fn, arg
        self.items: list[dict[str, Any]] = []
        self.callbacks: list[Written] = []


class ResultRecorder:
    """complete(...) / fail(...) queue a result; `written` is called with its outcome."""

    def __init__(self, client: AsyncJobsClient, worker_id: str, *,
                 interval: float = 0.005, max_items: int = 100) -> None:
        self._client, self._worker_id = client, worker_id
        self._interval, self._max_items = interval, max_items
        self._pending = {"complete": _Batch("complete_jobs", "completions"),
                         "fail": _Batch("fail_jobs", "failures"),
                         "postpone": _Batch("postpone_jobs", "postponements")}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.patience_seconds = 60.0  # how long a result waits for an exhausted pool

    def complete(self, job_id: int, attempt: int, result: Any, metadata: dict[str, Any],
                 written: Written) -> None:
        self.submit("complete", {"job_id": job_id, "attempt": attempt, "result": result,
                                 "metadata": metadata}, written)

    def fail(self, job_id: int, attempt: int, error: str, written: Written, *,
             retryable: bool = True, timed_out: bool = False,
             metadata: dict[str, Any] | None = None) -> None:
        self.submit("fail", {"job_id": job_id, "attempt": attempt, "error": error,
                             "retryable": retryable, "timed_out": timed_out,
                             "metadata": metadata or {}}, written)

    def submit(self, kind: str, item: dict[str, Any], written: Written) -> None:
        batch = self._pending[kind]
        batch.items.append(item)
        batch.callbacks.append(written)
        if len(batch.items) >= self._max_items:
            self._flush(kind)
        elif kind not in self._timers:
            self._timers[kind] = asyncio.get_running_loop().call_later(
                self._interval, self._flush, kind)

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
            rows = await self._patiently(batch)
            try:
                by_id = {int(row["job_id"]): str(row["outcome"]) for row in rows}
            except (KeyError, TypeError, ValueError) as bad:
                raise SupajobsError(f"{batch.fn} returned malformed rows: {bad!r}") from bad
        except Exception as exc:  # the lease will expire and the sweeper retries the job
            log.error("%s for %d jobs failed: %s", batch.fn, len(batch.items), exc)
            for written in batch.callbacks:
                written(None)
            return
        for item, written in zip(batch.items, batch.callbacks, strict=True):
            written(by_id.get(item["job_id"], "lease_lost"))

    async def _patiently(self, batch: _Batch) -> Any:
        """An exhausted pool is no reason to lose a result: wait for a connection (the
        heartbeats keep the leases) up to patience_seconds, then give up as before."""
        give_up = time.monotonic() + self.patience_seconds
        while True:
            try:
                return await self._client.call_raw(
                    batch.fn, {"worker_id": self._worker_id, batch.arg: batch.items})
            except PoolExhaustedError:
                if time.monotonic() >= give_up:
                    raise
                log.warning("%s for %d jobs waits for a database connection", batch.fn,
                            len(batch.items))
                await asyncio.sleep(POOL_RETRY_SECONDS)

    async def drain(self) -> None:
        """Send everything pending now and wait for it (shutdown)."""
        self.flush()
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


def submit(recorder: ResultRecorder, metrics: WorkerMetrics, job: WorkItem, verdict: Verdict,
           written: Written) -> None:
    """Queue one verdict (batched); `written` gets the outcome."""
    metrics.of(job.job_type).observe(verdict.seconds)
    meta: dict[str, Any] = {"duration_s": round(verdict.seconds, 6)}
    if verdict.ok:
        recorder.complete(job.id, job.attempts, verdict.result, meta, written)
        return
    if verdict.reason == "throttled":  # no attempt spent; the key's limiter pauses too
        recorder.submit("postpone", {"job_id": job.id, "attempt": job.attempts,
                                     "seconds": verdict.retry_after, "error": verdict.error,
                                     "key": verdict.rate_key}, written)
        return
    meta["reason"] = verdict.reason
    recorder.fail(job.id, job.attempts, verdict.error, written, retryable=verdict.retryable,
                  timed_out=verdict.timed_out, metadata=meta)


def count(metrics: WorkerMetrics, job: WorkItem, verdict: Verdict, outcome: str) -> None:
    if outcome == "lease_lost":
        metrics.of(job.job_type).lost += 1
    elif verdict.ok:
        metrics.of(job.job_type).completed += 1
    elif outcome == "postponed":
        metrics.of(job.job_type).postponed += 1
    else:
        metrics.fail(job.job_type, verdict.reason)

