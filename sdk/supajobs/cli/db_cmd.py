"""supajobs db push: apply the migrations with the Supabase CLI (`supabase db push`)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from supajobs.cli.context import Context
from supajobs.errors import ConfigurationError
from supajobs.migrations import db_push


def register(commands: Any) -> None:
    db = commands.add_parser("db", help="database migrations")
    sub = db.add_subparsers(dest="action", metavar="ACTION", required=True)
    push = sub.add_parser("push", help="apply the packaged migrations with `supabase db push`")
    push.set_defaults(handler=push_migrations)


def push_migrations(args: argparse.Namespace, ctx: Context) -> int:
    url = ctx.db_url or os.environ.get("SUPAJOBS_DATABASE_URL")
    if not url:
        raise ConfigurationError("db push needs --db-url (or SUPAJOBS_DATABASE_URL)")
    output = db_push(url)  # raises, saying why, unless every migration is recorded
    ctx.note(output.strip() or "migrations applied")
    return 0
