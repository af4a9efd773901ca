"""Which file contents the backups hold: the guard `duplicate_cleanup` uses before deleting."""

from __future__ import annotations

import os
from pathlib import Path

from supajobs_receipts.backup.archive_format import CorruptBackupError, backups_in
from supajobs_receipts.backup.repository import load_snapshot, read_object, snapshot_files
from supajobs_receipts.backup.restore import read_backup
from supajobs_receipts.backup.snapshot_format import SNAPSHOTS, RepositoryError
from supajobs_receipts.storage.local import LocalFileStore


def backed_up_hashes(dest_dir: str | os.PathLike[str]) -> frozenset[str]:
    """sha256 of every receipt file held by a verified backup in `dest_dir`: an old archive
    that passes full verification, or an object of the repository there that a readable
    snapshot names and whose bytes match its hash. A corrupt backup holds nothing."""
    directory = Path(dest_dir)
    hashes: set[str] = set()
    for path in backups_in(directory):
        try:
            backup = read_backup(path)
        except CorruptBackupError:
            continue
        hashes.update(r.sha256 for r in backup.records)
    if not (directory / SNAPSHOTS).is_dir():
        return frozenset(hashes)
    repo = LocalFileStore(directory)
    for file in snapshot_files(repo):
        try:
            refs = load_snapshot(repo, file.key).snapshot.objects
        except RepositoryError:
            continue
        for ref in refs:
            if ref.sha256 not in hashes:
                try:
                    read_object(repo, ref.sha256, ref.size)
                except RepositoryError:
                    continue
                hashes.add(ref.sha256)
    return frozenset(hashes)
