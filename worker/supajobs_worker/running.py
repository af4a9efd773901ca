"""What the runner keeps about one job in flight: its task, its deadline, how it is stopping."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from supajobs.claimed import ClaimedJob
from supajobs_worker.deadlines import BatchDeadline
from supajobs_worker.observability.job_spans import JobTrace


@dataclass
class Running:
    job: ClaimedJob
    task: asyncio.Task[None]
    deadline: BatchDeadline         # the timer shared with the jobs claimed alongside
    spans: JobTrace | None = None   # its spans, while tracing is on (observability/job_spans)
    stop_reason: str | None = None  # "lost", "shutdown" or "timeout" once asked to stop
    in_handler: bool = False        # the handler has started (a timeout may cancel it)
    recording: bool = False         # the handler is done; only the write is pending

    def expired(self) -> bool:
        return self.stop_reason == "timeout"
