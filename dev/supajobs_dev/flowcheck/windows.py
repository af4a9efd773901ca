"""What the probe's workers did, read from the history: every start (attempt) per rate key,
the most starts any window of each limit held, and the most jobs of a key running at once."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

# Every attempt, finished or running (job_attempts), with the key of its job.
STARTS_SQL = """
select coalesce(j.rate_key, '') as rate_key, a.started_at, a.completed_at, a.worker_id
from jobs.job_attempts a join jobs.jobs j on j.id = a.job_id
where a.job_type = %s order by a.started_at
"""


@dataclass(frozen=True)
class Attempt:
    rate_key: str
    started_at: datetime
    completed_at: datetime | None
    worker_id: str | None


def attempts(url: str, job_type: str) -> list[Attempt]:
    with psycopg.connect(url, autocommit=True) as conn:
        return [Attempt(*row) for row in conn.execute(STARTS_SQL, [job_type]).fetchall()]


def by_key(found: list[Attempt]) -> dict[str, list[Attempt]]:
    keys: dict[str, list[Attempt]] = defaultdict(list)
    for attempt in found:
        keys[attempt.rate_key].append(attempt)
    return dict(keys)


def most_in_window(starts: list[datetime], per_seconds: float) -> int:
    """The most starts within any per_seconds (a window starting at a start is the fullest)."""
    ordered, width, best = sorted(starts), timedelta(seconds=per_seconds), 0
    for i, start in enumerate(ordered):
        best = max(best, bisect_left(ordered, start + width) - i)
    return best


def windows_over(starts: list[datetime], limit: int, per_seconds: float) -> int:
    """How many windows (one starting at each start) hold more than `limit` starts."""
    ordered, width = sorted(starts), timedelta(seconds=per_seconds)
    return sum(1 for i, start in enumerate(ordered)
               if bisect_left(ordered, start + width) - i > limit)


def most_running(found: list[Attempt]) -> int:
    """The most attempts of these that overlapped in time (a running one counts as open)."""
    events = sorted([(a.started_at, 1) for a in found]
                    + [(a.completed_at, -1) for a in found if a.completed_at is not None],
                    key=lambda e: (e[0], e[1]))  # an end before a start at the same instant
    running = best = 0
    for _, step in events:
        running += step
        best = max(best, running)
    return best
