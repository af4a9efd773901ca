"""Send the handlers' progress reports to the database: the latest one per job, for all jobs
in one call, at most once per interval (default 1 s), whatever the handlers' own pace.

Handlers in threads report too, hence the lock. Progress is for people watching: a failed
write is logged and tried again with the next interval (unless a newer report replaced it),
without the client's retries; it never stops a job.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from supajobs.client import AsyncJobsClient
from supajobs.errors import SupajobsError
from supajobs_worker.progress import ProgressUpdate

log = logging.getLogger("supajobs_worker.progress")


class ProgressBuffer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[int, tuple[int, ProgressUpdate]] = {}

    def report(self, job_id: int, attempt: int, update: ProgressUpdate) -> None:
        with self._lock:
            self._latest[job_id] = (attempt, update)

    def take(self) -> dict[int, tuple[int, ProgressUpdate]]:
        with self._lock:
            taken, self._latest = self._latest, {}
        return taken

    def restore(self, taken: dict[int, tuple[int, ProgressUpdate]]) -> None:
        """Put back what could not be written; a report made meanwhile wins."""
        with self._lock:
            self._latest = {**taken, **self._latest}

    def __len__(self) -> int:
        return len(self._latest)


async def write_once(buffer: ProgressBuffer, client: AsyncJobsClient, worker_id: str) -> int:
    """Send what is waiting; returns how many jobs the database updated."""
    taken = buffer.take()
    if not taken:
        return 0
    updates = [u.as_json(job_id, attempt) for job_id, (attempt, u) in taken.items()]
    try:
        written = await client.call_raw("report_progress",
                                        {"worker_id": worker_id, "updates": updates},
                                        idempotent=False)
    except SupajobsError as exc:
        log.warning("progress of %d jobs not written: %s", len(updates), exc)
        buffer.restore(taken)
        return 0
    return int(written) if isinstance(written, int) else 0


async def keep_writing(buffer: ProgressBuffer, client: AsyncJobsClient, worker_id: str,
                       interval: float = 1.0) -> None:
    """Run until cancelled."""
    while True:
        await asyncio.sleep(interval)
        if len(buffer):
            await write_once(buffer, client, worker_id)
