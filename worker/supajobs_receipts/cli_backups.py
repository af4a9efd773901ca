"""`supajobs receipts backups list|verify|purge` and `supajobs receipts restore`.

Each command works on every configured backup target (SUPAJOBS_BACKUP_DIR, and
SUPAJOBS_BACKUP_BUCKET when set), or on the one repository given with --repo.
verify exits 1 and names each problem; purge refuses (exit 1, nothing deleted) anything
younger than the retention period (SUPAJOBS_BACKUP_RETENTION_YEARS, 7 at least).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from supajobs.cli.context import Context
from supajobs.errors import SupajobsError
from supajobs_receipts.backup import (
    BackupError,
    load_snapshot,
    purge,
    snapshot_files,
    verify_repository,
)
from supajobs_receipts.cli_restore import add_restore, parse_when, repository
from supajobs_receipts.pipeline.backup_settings import BackupTarget
from supajobs_receipts.pipeline.settings import PipelineSettings


def register_backups(sub: Any) -> None:
    backups = sub.add_parser("backups", help="list, verify and purge backup snapshots")
    actions = backups.add_subparsers(dest="backups_action", metavar="ACTION", required=True)
    for name, handler, text in (
            ("list", list_snapshots, "every snapshot of each backup target"),
            ("verify", verify_snapshots, "check every snapshot, the chain and every object"),
            ("purge", purge_snapshots, "delete snapshots older than the retention period")):
        cmd = actions.add_parser(name, help=text)
        cmd.add_argument("--repo", default=None, metavar="DIR|supabase:BUCKET",
                         help="one repository (default: every configured backup target)")
        cmd.set_defaults(handler=handler)
        if name == "purge":
            cmd.add_argument("--before", required=True, metavar="DATE",
                             help="delete snapshots made before DATE (YYYY-MM-DD, Asia/Tokyo, "
                             "or an ISO 8601 time); the newest snapshot always stays")
            cmd.add_argument("--dry-run", action="store_true",
                             help="say what would be deleted; delete nothing")
    add_restore(sub)


def _targets(args: argparse.Namespace) -> list[BackupTarget]:
    if args.repo:
        return [repository(args.repo)]
    return PipelineSettings.from_env().backup_targets()


def list_snapshots(args: argparse.Namespace, ctx: Context) -> int:
    rows: list[dict[str, Any]] = []
    for target in _targets(args):
        for file in snapshot_files(target.store):
            try:
                snapshot = load_snapshot(target.store, file.key).snapshot
            except BackupError as exc:
                raise SupajobsError(f"{target.name}: {exc}", hint="`supajobs receipts backups "
                                    "verify` lists every problem") from None
            rows.append({"target": target.name, "snapshot": file.key,
                         "created_at": snapshot.created_at.isoformat(),
                         "receipts": len(snapshot.records), "objects": len(snapshot.objects),
                         "bytes": sum(o.size for o in snapshot.objects)})
    ctx.emit(rows, ["target", "snapshot", "created_at", "receipts", "objects", "bytes"])
    return 0


def verify_snapshots(args: argparse.Namespace, ctx: Context) -> int:
    found = [(t, len(snapshot_files(t.store)), verify_repository(t.store))
             for t in _targets(args)]
    if ctx.as_json:
        ctx.emit([{"target": t.name, "snapshots": n, "problems": p} for t, n, p in found], [])
    else:
        ctx.emit([{"target": t.name, "snapshots": n, "problems": len(p)} for t, n, p in found],
                 ["target", "snapshots", "problems"])
        for target, _, problems in found:
            for problem in problems:
                print(f"{target.name}: {problem}", file=ctx.out)
    return 1 if any(p for _, _, p in found) else 0


def purge_snapshots(args: argparse.Namespace, ctx: Context) -> int:
    before = parse_when(args.before, end_of_day=False, field="--before")
    years = PipelineSettings.from_env().backup_retention_years
    rows: list[dict[str, Any]] = []
    for target in _targets(args):
        try:
            done = purge(target.store, before, years, datetime.now(UTC), dry_run=args.dry_run)
        except BackupError as exc:
            raise SupajobsError(f"{target.name}: {exc}") from None
        rows.append({"target": target.name, "snapshots": list(done.snapshots),
                     "objects": list(done.objects), "kept": done.kept_snapshots,
                     "dry_run": done.dry_run})
    if ctx.as_json:
        ctx.emit(rows, [])
        return 0
    ctx.emit([{**r, "snapshots": len(r["snapshots"]), "objects": len(r["objects"])}
              for r in rows], ["target", "snapshots", "objects", "kept", "dry_run"])
    if not any(r["snapshots"] or r["objects"] for r in rows):
        ctx.note(f"nothing to purge: no snapshot made before {before.isoformat()} (the newest "
                 "always stays)")
    elif args.dry_run:
        ctx.note("dry run: nothing was deleted")
    return 0
