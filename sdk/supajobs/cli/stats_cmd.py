"""supajobs stats (and --limits: the rate limits' use and remaining budget)."""

from __future__ import annotations

import argparse
from typing import Any

from supajobs.cli.context import Context

STAT_COLUMNS = ["job_type", "status", "jobs", "oldest_due_age_seconds", "failure_rate_1h",
                "consecutive_failures", "breaker_open"]
LIMIT_COLUMNS = ["job_type", "rate_key", "limit_kind", "capacity", "per_seconds", "used",
                 "remaining", "paused_until"]


def register(commands: Any) -> None:
    p = commands.add_parser("stats", help="per job type and status: counts, ages, failures")
    p.add_argument("--limits", action="store_true",
                   help="per rate-limit bucket: capacity, used now, remaining, pauses")
    p.set_defaults(handler=stats)


def stats(args: argparse.Namespace, ctx: Context) -> int:
    if args.limits:
        ctx.emit(ctx.client().rate_limits(), LIMIT_COLUMNS)
    else:
        ctx.emit(ctx.client().stats(), STAT_COLUMNS)
    return 0
