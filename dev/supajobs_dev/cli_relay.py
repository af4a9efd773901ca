"""supajobs relay: the local stand-in for pg_net's worker (docs/pg-net-standin.md).

The relay parses its own options (`run`), so `supajobs relay --db-url ...` reaches
supajobs_dev.relay.cli untouched; `register` only lists it in `supajobs --help`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from supajobs.cli.context import Context


def register(commands: Any) -> None:
    p = commands.add_parser("relay", help="send queued pg_net stand-in requests (relay --help)")
    p.set_defaults(handler=relay)


def run(argv: Sequence[str]) -> int:
    from supajobs_dev.relay.cli import main

    return main(list(argv))


def relay(args: argparse.Namespace, ctx: Context) -> int:
    return run([])
