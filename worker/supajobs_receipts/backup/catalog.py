"""Which file contents the backups hold: the guard `duplicate_cleanup` uses before deleting."""

from __future__ import annotations

import os
from pathlib import Path

from supajobs_receipts.backup.archive_format import CorruptBackupError, backups_in
from supajobs_receipts.backup.restore import read_backup


def backed_up_hashes(dest_dir: str | os.PathLike[str]) -> frozenset[str]:
    """sha256 of every receipt file held by a backup that passes full verification.

    A corrupt backup holds nothing as far as deletion is concerned.
    """
    hashes: set[str] = set()
    for path in backups_in(Path(dest_dir)):
        try:
            backup = read_backup(path)
        except CorruptBackupError:
            continue
        hashes.update(r.sha256 for r in backup.records)
    return frozenset(hashes)
