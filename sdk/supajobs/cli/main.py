"""`supajobs`: entry point, global options, exit codes. Never shows a raw traceback."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from supajobs.cli.context import Context
from supajobs.cli.global_options import hoist_global_options
from supajobs.cli.registry import register_all
from supajobs.errors import (
    ConfigurationError,
    ConflictError,
    JobWaitTimeoutError,
    NotFoundError,
    PermissionDeniedError,
    SupajobsError,
    TransientError,
    ValidationError,
)

OK, ERROR, USAGE, NOT_FOUND, CONFLICT, DENIED, UNAVAILABLE, TIMEOUT, JOB_FAILED = range(9)
EXIT_CODES: list[tuple[type[SupajobsError], int]] = [
    (ValidationError, USAGE), (NotFoundError, NOT_FOUND), (ConflictError, CONFLICT),
    (PermissionDeniedError, DENIED), (ConfigurationError, DENIED),
    (TransientError, UNAVAILABLE), (JobWaitTimeoutError, TIMEOUT),
]


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, ModuleType]]:
    """The parser, and the plugin modules by command name (see supajobs.cli.registry)."""
    parser = argparse.ArgumentParser(
        prog="supajobs", description="Supabase-native background jobs: queue, schedules, DLQ.",
        epilog="Connection: SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY (PostgREST) or "
        "SUPAJOBS_DATABASE_URL (PostgreSQL). Exit codes: 0 ok, 1 error, 2 usage or invalid "
        "input, 3 not found, 4 conflict, 5 permission or configuration, 6 unavailable, "
        "7 wait timed out, 8 job dead or cancelled.")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--db-url", default=None,
                        help="PostgreSQL URL (default: $SUPAJOBS_DATABASE_URL)")
    parser.add_argument("--supabase-url", default=None,
                        help="project URL (default: $SUPABASE_URL; key from the environment)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    return parser, register_all(commands)


def exit_code_for(exc: SupajobsError) -> int:
    for kind, code in EXIT_CODES:
        if isinstance(exc, kind):
            return code
    return ERROR


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    parser, plugins = build_parser()
    own_options = getattr(plugins.get(given[0]) if given else None, "run", None)
    if own_options is not None:  # e.g. the relay: its options are its own
        return int(own_options(given[1:]))
    args = parser.parse_args(hoist_global_options(given))  # exits with 2 on usage errors
    ctx = Context(as_json=args.json, db_url=args.db_url, supabase_url=args.supabase_url)
    try:
        return int(args.handler(args, ctx))
    except SupajobsError as exc:
        where = f" [{exc.code}]" if exc.code else ""
        print(f"supajobs: error{where}: {exc}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return exit_code_for(exc)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the CLI's promise: a clear line, never a traceback
        if os.environ.get("SUPAJOBS_DEBUG"):
            raise
        print(f"supajobs: unexpected {type(exc).__name__}: {exc} "
              "(set SUPAJOBS_DEBUG=1 for a traceback)", file=sys.stderr)
        return ERROR
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
