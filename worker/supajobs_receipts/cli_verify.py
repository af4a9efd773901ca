"""`supajobs receipts verify`: the history's hash chain, the current view against it, and
every stored file against its sha256. Exit 0 when all holds, 1 with each problem named."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from supajobs.cli.context import Context
from supajobs.client import AsyncJobsClient
from supajobs_receipts.evidence.verify import VerifyReport, verify_evidence
from supajobs_receipts.pipeline.cli_session import run_with_client
from supajobs_receipts.pipeline.evidence_read import (
    newest_backup_history,
    read_evidence,
    store_for,
)


def register_verify(sub: Any) -> None:
    verify = sub.add_parser("verify", help="check the history's hash chain and every file")
    verify.add_argument("--store", type=Path, default=None,
                        help="store directory (default: the pipeline's store)")
    verify.add_argument("--no-files", action="store_true",
                        help="check the history only, not the stored files")
    verify.add_argument("--backups", type=Path, default=None,
                        help="backup repository whose newest snapshot the history is compared "
                        "with (default: $SUPAJOBS_BACKUP_DIR or .local/backups)")
    verify.add_argument("--no-backups", action="store_true",
                        help="do not compare with a backup snapshot")
    verify.set_defaults(handler=verify_receipts)


def verify_receipts(args: argparse.Namespace, ctx: Context) -> int:
    store = None if args.no_files else store_for(args.store)
    backup = None if args.no_backups else newest_backup_history(args.backups)

    async def work(client: AsyncJobsClient) -> VerifyReport:
        history, current = await read_evidence(client)
        return verify_evidence(history, current, store, backup)

    report = run_with_client(ctx, work)
    summary = {"ok": report.ok, "versions": report.versions, "receipts": report.receipts,
               "files": report.files, "backup_snapshot": report.anchored_to,
               "problems": report.problems, "warnings": report.warnings}
    if ctx.as_json:
        ctx.emit(summary, [])
    else:
        for line in report.problems:
            print(f"PROBLEM  {line}", file=ctx.out)
        for line in report.warnings:
            print(f"WARNING  {line}", file=ctx.out)
        verdict = "intact" if report.ok else f"{len(report.problems)} problem(s)"
        against = f", against backup {report.anchored_to}" if report.anchored_to else ""
        print(f"{report.versions} versions of {report.receipts} receipts, {report.files} files "
              f"checked{against}: {verdict}", file=ctx.out)
    return 0 if report.ok else 1
