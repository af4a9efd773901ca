"""supajobs dlq list|requeue|purge."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from supajobs.cli.context import Context
from supajobs.cli.jobs_cmd import JOB_COLUMNS


def register(commands: Any) -> None:
    dlq = commands.add_parser("dlq", help="dead letters")
    sub = dlq.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = sub.add_parser("list", help="list dead letters, newest first")
    ls.add_argument("--limit", type=int, default=100)
    ls.add_argument("--job-type")
    ls.set_defaults(handler=list_dead)
    rq = sub.add_parser("requeue", help="send a dead letter back to the queue")
    rq.add_argument("job_id", type=int)
    rq.set_defaults(handler=requeue)
    pg = sub.add_parser("purge", help="delete dead letters")
    pg.add_argument("--older-than-days", type=float, default=None,
                    help="only those dead for longer (default: all)")
    pg.set_defaults(handler=purge)


def list_dead(args: argparse.Namespace, ctx: Context) -> int:
    rows = ctx.client().dead_letters.list(args.limit, args.job_type)
    ctx.emit(rows, ["id", "job_type", "attempts", "died_at", "last_error"])
    return 0


def requeue(args: argparse.Namespace, ctx: Context) -> int:
    ctx.emit(ctx.client().dead_letters.requeue(args.job_id), JOB_COLUMNS)
    return 0


def purge(args: argparse.Namespace, ctx: Context) -> int:
    days = args.older_than_days
    purged = ctx.client().dead_letters.purge(None if days is None else timedelta(days=days))
    ctx.emit({"purged": purged}, ["purged"])
    return 0
