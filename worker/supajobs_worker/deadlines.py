"""Handler time limits for the runner: one loop timer per claimed batch and limit.

`asyncio.timeout()` arms and disarms a timer for every job, µs each at thousands of jobs a
second (docs/benchmarks.md); jobs claimed together nearly always share one limit, so one timer
watches them all. When it fires, the runner cancels the handlers of those jobs that are still
running, and `run_handler` records them as timed out, as asyncio.timeout() would have.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from supajobs.claimed import WorkItem


class BatchDeadline:
    """Jobs started together with one time limit; the last to finish disarms the timer."""

    __slots__ = ("_left", "_timer")

    def __init__(self, ids: list[int], limit: float,
                 expire: Callable[[list[int]], None]) -> None:
        self._left = len(ids)
        self._timer = asyncio.get_running_loop().call_later(limit, expire, ids)

    def finished(self) -> None:
        """One job's handler is done (call exactly once per job)."""
        self._left -= 1
        if self._left == 0:
            self._timer.cancel()  # frees the ids now, not when the limit would have passed


def arm(jobs: Iterable[WorkItem], limit_of: Callable[[WorkItem], float],
        expire: Callable[[list[int]], None]) -> dict[int, BatchDeadline]:
    """One BatchDeadline per distinct limit among `jobs`; job id -> its deadline."""
    groups: dict[float, list[int]] = {}
    for job in jobs:
        groups.setdefault(limit_of(job), []).append(job.id)
    by_job: dict[int, BatchDeadline] = {}
    for limit, ids in groups.items():
        deadline = BatchDeadline(ids, limit, expire)
        for job_id in ids:
            by_job[job_id] = deadline
    return by_job
