"""Which subcommands `supajobs` has: its own, and those other packages add.

A subcommand module has `register(commands)`, which adds its parser(s) and sets
`handler(args, ctx) -> int` with set_defaults. The SDK's own modules are listed here. Apps and
tools add theirs through the entry point group `supajobs.cli` (name = the command, value = the
module), so the SDK never names them: the worker distribution adds `dashboard` and
`receipts`, the checkout's dev package `local` and `relay`. A module may also define
`run(argv) -> int` for a command that parses its own options (the relay does).
"""

from __future__ import annotations

import argparse
import importlib
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

from supajobs.cli.context import Context
from supajobs.errors import ConfigurationError

ENTRY_POINT_GROUP = "supajobs.cli"
BUILTIN: tuple[str, ...] = (
    "supajobs.cli.jobs_cmd",
    "supajobs.cli.schedules_cmd",
    "supajobs.cli.dlq_cmd",
    "supajobs.cli.stats_cmd",
    "supajobs.cli.db_cmd",
)


def register_all(commands: Any) -> dict[str, ModuleType]:
    """Register every subcommand; return the plugin modules by command name."""
    for path in BUILTIN:
        importlib.import_module(path).register(commands)
    plugins: dict[str, ModuleType] = {}
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        try:
            module = point.load()
        except ImportError as exc:  # its extra is not installed: say so when it is used
            _register_unavailable(commands, point.name, point.value, exc)
            continue
        module.register(commands)
        plugins[point.name] = module
    return plugins


def _register_unavailable(commands: Any, name: str, module: str, exc: ImportError) -> None:
    missing = exc.name or str(exc)
    parser = commands.add_parser(name, help=f"(unavailable: needs {missing})")
    parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)

    def unavailable(args: argparse.Namespace, ctx: Context) -> int:
        raise ConfigurationError(
            f"`supajobs {name}` cannot load {module}: module {missing!r} is not installed",
            hint="install the worker extra: pip install 'supajobs[worker]'")

    parser.set_defaults(handler=unavailable)
