"""Restoring the files of a snapshot (or of an old `.tar.gz` archive) into a store.

Everything is read and verified before the first write, and a path that holds other bytes
in the target stops the restore before anything is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from supajobs_receipts.backup.archive_format import BackupError
from supajobs_receipts.backup.repository import (
    check_link,
    load_snapshot,
    read_object,
    snapshot_files,
)
from supajobs_receipts.backup.restore import RestoreResult, restore_backup
from supajobs_receipts.storage.base import FileStore, sha256_hex
from supajobs_receipts.storage.local import LocalFileStore


@dataclass(frozen=True)
class SnapshotRestore(RestoreResult):
    source: str  # the snapshot's key, or the archive's file name


def restore(source: FileStore | str | os.PathLike[str], target: FileStore,
            at: datetime | None = None) -> SnapshotRestore:
    """Restore the newest snapshot at or before `at` (None: the newest) of the repository
    `source` (a store, or a directory) into `target`; a file path is an old archive."""
    if at is not None and at.tzinfo is None:
        raise ValueError("`at` must be an aware datetime")
    if not isinstance(source, FileStore):
        path = Path(source)
        if path.is_file():
            if at is not None:
                raise BackupError(f"{path.name} is an archive of one backup: a date applies "
                                  "only to a repository")
            old = restore_backup(path, target)
            return SnapshotRestore(old.records, old.written, old.unchanged, path.name)
        if not path.is_dir():
            raise BackupError(f"{path}: no such backup repository or archive")
        source = LocalFileStore(path)
    return _restore_snapshot(source, target, at)


def _restore_snapshot(repo: FileStore, target: FileStore, at: datetime | None
                      ) -> SnapshotRestore:
    files = snapshot_files(repo)
    if not files:
        raise BackupError("the repository holds no snapshot")
    chosen = [f for f in files if at is None or f.created_at <= at]
    if not chosen:
        raise BackupError(f"no snapshot at or before {at.isoformat() if at else '-'}; the "
                          f"oldest is {files[0].key}")
    loaded = load_snapshot(repo, chosen[-1].key)
    check_link(repo, files, loaded)
    refs = loaded.snapshot.objects
    contents = {r.sha256: read_object(repo, r.sha256, r.size) for r in refs}
    unchanged: list[str] = []
    for ref in refs:
        if target.exists(ref.stored_path):
            if sha256_hex(target.get(ref.stored_path)) != ref.sha256:
                raise BackupError(f"{ref.stored_path!r} exists in the store with other "
                                  "content; nothing was restored")
            unchanged.append(ref.stored_path)
    same = set(unchanged)
    written = [r.stored_path for r in refs if r.stored_path not in same]
    for ref in refs:
        if ref.stored_path not in same:
            target.write(ref.stored_path, contents[ref.sha256])
    return SnapshotRestore(loaded.snapshot.records, tuple(written), tuple(unchanged),
                           loaded.key)
