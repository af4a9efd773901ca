"""supajobs dashboard: serve the operators' dashboard alone (see docs/operations.md)."""

from __future__ import annotations

import argparse
from typing import Any

from supajobs.cli.context import Context


def register(commands: Any) -> None:
    p = commands.add_parser("dashboard", help="serve the operators' dashboard (uvicorn)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8090)
    p.add_argument("--poll-seconds", type=float, default=5.0)
    p.set_defaults(handler=dashboard)


def dashboard(args: argparse.Namespace, ctx: Context) -> int:
    from supajobs_worker.dashboard.serve import serve

    try:
        serve(args.host, args.port, poll_seconds=args.poll_seconds)
    except ValueError as exc:  # no connection or no token configured
        print(f"supajobs dashboard: {exc}")
        return 5
    return 0
