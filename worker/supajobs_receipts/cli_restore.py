"""`supajobs receipts restore SOURCE [--at DATE]`, and reading the SOURCE and DATE arguments.

SOURCE is a backup repository (a directory, or `supabase:BUCKET`) or an old `.tar.gz` archive.
DATE is a day (YYYY-MM-DD, in Asia/Tokyo like the schedules) or an ISO 8601 time; a time
without an offset is Asia/Tokyo too.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from supajobs.cli.context import Context
from supajobs.errors import SupajobsError, ValidationError
from supajobs_receipts.backup import BackupError, restore
from supajobs_receipts.pipeline.backup_settings import (
    BackupTarget,
    bucket_from_env,
    bucket_target,
    local_target,
)
from supajobs_receipts.pipeline.restore_records import client_for, reregister
from supajobs_receipts.pipeline.settings import PipelineSettings
from supajobs_receipts.storage import LocalFileStore

ZONE = ZoneInfo("Asia/Tokyo")
BUCKET_PREFIX = "supabase:"


def parse_when(text: str, *, end_of_day: bool, field: str) -> datetime:
    """A DATE argument as an aware time; a bare day is its start, or with `end_of_day` its
    last second (snapshots carry whole seconds)."""
    try:
        if len(text) == 10:
            day = datetime.combine(date.fromisoformat(text), time(), ZONE)
            return day + timedelta(days=1, seconds=-1) if end_of_day else day
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{text!r} is not a day (YYYY-MM-DD) or an ISO 8601 time",
                              field=field) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZONE)


def repository(spec: str) -> BackupTarget:
    """A repository named on the command line: a directory, or supabase:BUCKET."""
    if spec.startswith(BUCKET_PREFIX):
        return bucket_target(bucket_from_env(spec.removeprefix(BUCKET_PREFIX)))
    if not Path(spec).is_dir():
        raise ValidationError(f"{spec}: no such backup repository", field="--repo")
    return local_target(Path(spec))


def add_restore(sub: Any) -> None:
    cmd = sub.add_parser("restore", help="verify a backup and restore its files")
    cmd.add_argument("source", metavar="SOURCE",
                     help="a backup repository (directory or supabase:BUCKET) or an old "
                     ".tar.gz archive")
    cmd.add_argument("--at", default=None, metavar="DATE",
                     help="the newest snapshot made on or before DATE (default: the newest)")
    cmd.add_argument("--store", type=Path, default=None,
                     help="store directory (default: $SUPAJOBS_STORE_DIR or .local/store)")
    cmd.add_argument("--files-only", action="store_true",
                     help="write the files; leave the database alone")
    cmd.set_defaults(handler=restore_files)


def restore_files(args: argparse.Namespace, ctx: Context) -> int:
    store_dir = args.store or PipelineSettings.from_env().store_dir
    at = parse_when(args.at, end_of_day=True, field="--at") if args.at else None
    if args.source.startswith(BUCKET_PREFIX):
        source: Any = repository(args.source).store
    elif Path(args.source).exists():
        source = Path(args.source)
    else:
        raise ValidationError(f"{args.source}: no such backup repository or archive",
                              field="SOURCE")
    try:
        result = restore(source, LocalFileStore(store_dir), at=at)
    except BackupError as exc:
        said = str(exc)
        raise SupajobsError(said if "nothing was restored" in said
                            else f"{said}; nothing was restored") from None
    summary: dict[str, Any] = {"backup": args.source, "snapshot": result.source,
                               "store": str(store_dir), "receipts": len(result.records),
                               "written": len(result.written),
                               "unchanged": len(result.unchanged)}
    if not args.files_only:
        summary.update(asyncio.run(reregister(client_for(ctx), result.records)))
    ctx.emit(summary, list(summary))
    return 0
