"""Subcommand modules. Each has `register(subparsers)` that adds its parser(s) and sets
`handler(args, ctx) -> int` via set_defaults. Add a module here (or call add_module before
main) to grow the CLI, e.g. the relay, receipts parse or dashboard commands."""

from __future__ import annotations

MODULES: list[str] = [
    "supajobs.cli.jobs_cmd",
    "supajobs.cli.schedules_cmd",
    "supajobs.cli.dlq_cmd",
    "supajobs.cli.stats_cmd",
    "supajobs.cli.db_cmd",
    "supajobs.cli.local_cmd",
    "supajobs.cli.relay_cmd",
]
# Commands that live in the worker distribution (`pip install supajobs[worker]`); the CLI
# works without them.
OPTIONAL_MODULES: list[str] = [
    "supajobs_worker.dashboard.cli",
    "supajobs_worker.pipeline.cli_receipts",
]


def add_module(path: str) -> None:
    if path not in MODULES and path not in OPTIONAL_MODULES:
        MODULES.append(path)
