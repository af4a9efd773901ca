"""supajobs local up|down: a throwaway PostgreSQL 15 with pg_cron and the migrations."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from supajobs.cli.context import Context
from supajobs.errors import ConfigurationError, SupajobsError
from supajobs.migrations import db_push
from supajobs_dev.cluster import Cluster, create_cluster, destroy_cluster
from supajobs_dev.project import create_roles

DEFAULT_STATE = Path(os.environ.get("SUPAJOBS_LOCAL_STATE", ".supajobs-local.json"))


def register(commands: Any) -> None:
    local = commands.add_parser("local", help="local database for demos")
    sub = local.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, handler in (("up", up), ("down", down)):
        p = sub.add_parser(name, help=f"{'start' if name == 'up' else 'stop'} it")
        p.add_argument("--state-file", type=Path, default=DEFAULT_STATE)
        p.set_defaults(handler=handler)


def up(args: argparse.Namespace, ctx: Context) -> int:
    if args.state_file.exists():
        raise ConfigurationError(f"a local database is already up ({args.state_file}); "
                                 "run `supajobs local down` first")
    try:
        cluster = create_cluster()
        create_roles(cluster.url())
        db_push(cluster.url())
    except (OSError, RuntimeError) as exc:
        raise SupajobsError(f"could not start the local database: {exc}") from None
    args.state_file.write_text(json.dumps({"base": str(cluster.base), "port": cluster.port}))
    ctx.emit({"url": cluster.url(), "state_file": str(args.state_file)}, ["url", "state_file"])
    ctx.note(f"export SUPAJOBS_DATABASE_URL='{cluster.url()}'")
    return 0


def down(args: argparse.Namespace, ctx: Context) -> int:
    if not args.state_file.exists():
        raise ConfigurationError(f"no local database is up (no {args.state_file})")
    state = json.loads(args.state_file.read_text())
    destroy_cluster(Cluster(base=Path(state["base"]), port=int(state["port"])))
    args.state_file.unlink()
    ctx.note("local database stopped and removed")
    return 0
