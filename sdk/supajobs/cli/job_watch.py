"""`supajobs jobs watch JOB_ID`: follow one job (status, attempt, progress) until it ends.

One line per change (a JSON object per line with --json), then the exit code of
`jobs wait`: 0 when it succeeded, 8 when it died or was cancelled, 7 when --timeout passed
(3: no such job).
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from supajobs.cli.context import Context
from supajobs.enums import JobStatus
from supajobs.errors import JobWaitTimeoutError, ValidationError
from supajobs.models import Job

FINAL = {JobStatus.SUCCEEDED, JobStatus.DEAD, JobStatus.CANCELLED}


def _state(job: Job) -> dict[str, Any]:
    progress = job.current_progress
    return {"job_id": job.id, "status": str(job.status), "attempt": job.attempts,
            "progress": None if progress is None else progress.model_dump(
                mode="json", exclude={"attempt", "updated_at"}),
            "last_error": job.last_error if job.status in FINAL else None}


def _line(job: Job, elapsed: float) -> str:
    text = f"[{elapsed:6.1f}s] job {job.id} {job.status}"
    if job.status is JobStatus.RUNNING:
        progress = job.current_progress
        text += f" (attempt {job.attempts})"
        text += f": {progress.describe()}" if progress is not None else ""
    elif job.status in FINAL and job.last_error and job.status is not JobStatus.SUCCEEDED:
        text += f": {job.last_error.splitlines()[0][:200]}"
    return text


def watch_job(args: argparse.Namespace, ctx: Context) -> int:
    if args.interval <= 0 or (args.timeout is not None and args.timeout <= 0):
        raise ValidationError("--interval and --timeout must be positive", field="interval")
    client, started, last = ctx.client(), time.monotonic(), None
    while True:
        job = client.get_job(args.job_id)  # a missing job: NotFoundError, exit code 3
        state = _state(job)
        if state != last:
            last = state
            elapsed = time.monotonic() - started
            ctx.out.write((json.dumps({**state, "elapsed_s": round(elapsed, 1)},
                                      ensure_ascii=False) if ctx.as_json
                           else _line(job, elapsed)) + "\n")
            ctx.out.flush()
        if job.status in FINAL:
            return 0 if job.status is JobStatus.SUCCEEDED else 8
        if args.timeout is not None and time.monotonic() - started >= args.timeout:
            raise JobWaitTimeoutError(
                f"job {job.id} is still {job.status} after {args.timeout:g} s", job=job)
        time.sleep(args.interval)
