"""`supajobs`: entry point, global options, exit codes. Never shows a raw traceback."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from supajobs.cli.context import Context
from supajobs.cli.registry import MODULES, OPTIONAL_MODULES
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


def build_parser() -> argparse.ArgumentParser:
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
    for path in MODULES:
        importlib.import_module(path).register(commands)
    for path in OPTIONAL_MODULES:
        try:
            module = importlib.import_module(path)
        except ImportError:  # supajobs[worker] not installed
            continue
        module.register(commands)
    return parser


def exit_code_for(exc: SupajobsError) -> int:
    for kind, code in EXIT_CODES:
        if isinstance(exc, kind):
            return code
    return ERROR


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    if given[:1] == ["relay"]:  # the relay has its own options (--db-url, fault injection)
        from supajobs.relay.cli import main as relay_main

        return relay_main(given[1:])
    parser = build_parser()
    args = parser.parse_args(given)  # exits with 2 on usage errors
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
