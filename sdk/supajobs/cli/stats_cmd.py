"""supajobs stats."""

from __future__ import annotations

import argparse
from typing import Any

from supajobs.cli.context import Context

STAT_COLUMNS = ["job_type", "status", "jobs", "oldest_due_age_seconds", "failure_rate_1h",
                "consecutive_failures", "breaker_open"]


def register(commands: Any) -> None:
    p = commands.add_parser("stats", help="per job type and status: counts, ages, failures")
    p.set_defaults(handler=stats)


def stats(args: argparse.Namespace, ctx: Context) -> int:
    ctx.emit(ctx.client().stats(), STAT_COLUMNS)
    return 0
