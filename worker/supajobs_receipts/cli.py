"""`supajobs receipts parse FILE_OR_DIR... [--json]`, `… install-schedules`, the backup
commands (`… backups list|verify|purge`, `… restore SOURCE`, in `cli_backups`) and the
evidence commands (search, show, correct, delete, duplicates, verify, export).

parse runs read_receipt, the code path of receipt_process, on local files (no database),
on every usable core (`--jobs N`, reading.parallel), printing them in input order; exit 0 when
every file was read, 1 when one was unreadable (its reason is printed).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from supajobs.cli.context import Context
from supajobs.errors import ValidationError
from supajobs_receipts.cli_backups import register_backups
from supajobs_receipts.cli_corrections import register_corrections
from supajobs_receipts.cli_duplicates import register_duplicates
from supajobs_receipts.cli_export import register_export
from supajobs_receipts.cli_freee import register_freee
from supajobs_receipts.cli_match import register_match
from supajobs_receipts.cli_schedules import register_install
from supajobs_receipts.cli_search import register_search
from supajobs_receipts.cli_verify import register_verify
from supajobs_receipts.reading import ReceiptFields, UnreadableReceipt, engine
from supajobs_receipts.reading.cli_output import to_json, to_table
from supajobs_receipts.reading.parallel import limit_threads, parse_jobs, read_files, usable_cores

SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".webp", ".bmp", ".html",
            ".htm"}


def register(commands: Any) -> None:
    receipts = commands.add_parser("receipts", help="read, search, correct, verify, export, "
                                   "restore, schedule")
    sub = receipts.add_subparsers(dest="action", metavar="ACTION", required=True)
    parse = sub.add_parser("parse", help="print the fields read from receipt files")
    parse.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_DIR")
    parse.add_argument("--json", dest="json_out", action="store_true",
                       help="one JSON list: file, date, total, tax, vendor, invoice_number, "
                       "confidence, needs_review")
    parse.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                       help="files read at once, one process each (default: the usable cores, "
                       f"here {usable_cores()}; 1 reads one file after the other)")
    parse.set_defaults(handler=parse_files)
    register_backups(sub)
    register_install(sub)
    for add in (register_search, register_corrections, register_duplicates, register_verify,
                register_export, register_freee, register_match):
        add(sub)


def receipt_files(paths: list[Path]) -> list[Path]:
    """The files named, and the receipt files under the directories named (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*")
                            if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            raise ValidationError(f"{path}: no such file or directory", field="FILE_OR_DIR")
    return found


def _jobs(value: str) -> int:
    try:
        return parse_jobs(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parse_files(args: argparse.Namespace, ctx: Context) -> int:
    try:
        engine.use_api()  # a wrong SUPAJOBS_OCR_ENGINE is one clear error, not one per file
    except engine.EngineSettingError as exc:
        raise ValidationError(str(exc), field="SUPAJOBS_OCR_ENGINE") from None
    files = receipt_files(args.paths)
    jobs = args.jobs or usable_cores()
    limit_threads()  # also for --jobs 1: OpenMP's spinning threads cost more than they give
    outcomes: list[tuple[str, ReceiptFields | UnreadableReceipt]] = []
    try:
        outcomes += ((os.fspath(p), o) for p, o in read_files(files, jobs))
    except KeyboardInterrupt:  # the reading processes are gone by now (read_files' finally)
        print(f"supajobs: interrupted after {len(outcomes)} of {len(files)} files; nothing "
              "printed", file=ctx.err)
        raise
    text = to_json(outcomes) if (args.json_out or ctx.as_json) else to_table(outcomes)
    print(text, file=ctx.out)
    return 1 if any(isinstance(o, UnreadableReceipt) for _, o in outcomes) else 0
