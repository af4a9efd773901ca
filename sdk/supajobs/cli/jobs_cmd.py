"""supajobs jobs enqueue|show|cancel|wait|watch [JOB_ID]."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from supajobs.cli.context import Context
from supajobs.cli.job_watch import watch_job
from supajobs.cli.stats_cmd import STAT_COLUMNS
from supajobs.enums import JobStatus
from supajobs.errors import ValidationError
from supajobs.models import Job

JOB_COLUMNS = ["id", "job_type", "status", "priority", "attempts", "run_at", "last_error"]


def _payload(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"--payload is not valid JSON: {exc}", field="payload") from None
    if not isinstance(value, dict):
        raise ValidationError("--payload must be a JSON object", field="payload")
    return value


def register(commands: Any) -> None:
    jobs = commands.add_parser("jobs", help="enqueue and inspect jobs")
    sub = jobs.add_subparsers(dest="action", metavar="ACTION", required=True)
    enq = sub.add_parser("enqueue", help="enqueue a job")
    enq.add_argument("job_type")
    enq.add_argument("--payload", default="{}", help="JSON object")
    enq.add_argument("--priority", choices=["critical", "high", "medium", "low"])
    enq.add_argument("--idempotency-key")
    enq.add_argument("--depends-on", type=int, nargs="*", default=[])
    enq.add_argument("--max-attempts", type=int)
    enq.add_argument("--timeout", type=int, help="seconds (1-1800)")
    enq.set_defaults(handler=enqueue)
    for name, handler in (("show", show), ("cancel", cancel), ("wait", wait)):
        p = sub.add_parser(name, help=f"{name} a job")
        p.add_argument("job_id", type=int)
        p.set_defaults(handler=handler)
        if name == "wait":
            p.add_argument("--timeout", type=float, default=30.0)
            p.add_argument("--interval", type=float, default=0.5)
        if name == "cancel":
            p.add_argument("--reason")
    watch_p = sub.add_parser("watch", help="follow a job's status and progress until it ends "
                             "(without JOB_ID: refresh queue statistics until interrupted)")
    watch_p.add_argument("job_id", type=int, nargs="?")
    watch_p.add_argument("--interval", type=float, help="seconds (default 1, queue: 2)")
    watch_p.add_argument("--timeout", type=float, help="JOB_ID: give up after this many seconds")
    watch_p.add_argument("--count", type=int, default=0, help="stop after N refreshes")
    watch_p.set_defaults(handler=watch)


def enqueue(args: argparse.Namespace, ctx: Context) -> int:
    job = ctx.client().enqueue(
        args.job_type, _payload(args.payload), priority=args.priority,
        idempotency_key=args.idempotency_key, depends_on=args.depends_on,
        max_attempts=args.max_attempts, timeout=args.timeout)
    ctx.emit(job, JOB_COLUMNS)
    return 0


def show(args: argparse.Namespace, ctx: Context) -> int:
    client = ctx.client()
    job = client.get_job(args.job_id)
    if ctx.as_json:
        ctx.emit({"job": job.model_dump(mode="json"),
                  "history": [e.model_dump(mode="json") for e in client.history(job.id)]}, [])
        return 0
    ctx.emit(job, [*JOB_COLUMNS, "worker_id", "cancel_reason"])
    ctx.emit(client.history(job.id),
             ["attempt", "status", "worker_id", "started_at", "duration_ms", "error_message"])
    return 0


def cancel(args: argparse.Namespace, ctx: Context) -> int:
    ctx.emit(ctx.client().cancel(args.job_id, args.reason), JOB_COLUMNS)
    return 0


def wait(args: argparse.Namespace, ctx: Context) -> int:
    started = time.monotonic()
    last: list[JobStatus] = []

    def progress(job: Job) -> None:  # one line per status change, on stderr
        if not last or last[-1] != job.status:
            last.append(job.status)
            ctx.note(f"[{time.monotonic() - started:6.1f}s] job {job.id}: {job.status}")

    job = ctx.client().wait(args.job_id, args.timeout, poll_interval=args.interval,
                            on_poll=progress)
    ctx.emit(job, JOB_COLUMNS)
    return 0 if job.status is JobStatus.SUCCEEDED else 8


def watch(args: argparse.Namespace, ctx: Context) -> int:
    if args.job_id is not None:
        args.interval = 1.0 if args.interval is None else args.interval
        return watch_job(args, ctx)
    if args.timeout is not None:
        raise ValidationError("--timeout needs a JOB_ID (the queue view runs until stopped)",
                              field="timeout")
    args.interval = 2.0 if args.interval is None else args.interval
    shown = 0
    while True:
        ctx.emit(ctx.client().stats(), STAT_COLUMNS)
        shown += 1
        if args.count and shown >= args.count:
            return 0
        time.sleep(args.interval)
