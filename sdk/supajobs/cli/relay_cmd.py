"""supajobs relay: the local stand-in for pg_net's worker (docs/pg-net-standin.md).

`supajobs relay ...` is handed to supajobs.relay.cli before the main parser sees it (its
options are its own); this module only lists it in `supajobs --help`.
"""

from __future__ import annotations

import argparse
from typing import Any

from supajobs.cli.context import Context


def register(commands: Any) -> None:
    p = commands.add_parser("relay", help="send queued pg_net stand-in requests (relay --help)")
    p.set_defaults(handler=relay)


def relay(args: argparse.Namespace, ctx: Context) -> int:
    from supajobs.relay.cli import main

    return main([])
