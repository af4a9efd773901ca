"""Writing one incremental snapshot: new objects first (each verified), then the snapshot file.

Nothing is ever deleted here. An object already in the repository is checked, never rewritten;
so a receipt whose file has since gone from the store is still backed up from the repository.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from supajobs_receipts.backup.archive_format import BackupError
from supajobs_receipts.backup.repository import read_object, snapshot_files
from supajobs_receipts.backup.snapshot_format import (
    SNAPSHOT_FORMAT,
    ObjectRef,
    RepositoryError,
    Snapshot,
    encode,
    object_key,
    snapshot_key,
)
from supajobs_receipts.organize.records import ReceiptRecord
from supajobs_receipts.storage.base import FileStore, sha256_hex
from supajobs_receipts.storage.errors import StoreConflictError, StoredFileNotFoundError


@dataclass(frozen=True)
class SnapshotResult:
    key: str
    sha256: str  # of the snapshot file
    snapshot: Snapshot
    new_objects: int
    reused_objects: int
    new_bytes: int  # objects and snapshot file written by this backup
    left_out: tuple[str, ...]  # receipts in `deleted` left out (see `_kept_records`)


def create_snapshot(
    records: Sequence[ReceiptRecord],
    source: FileStore,
    repo: FileStore,
    *,
    history: Sequence[Mapping[str, Any]] = (),
    deleted: Collection[str] = (),
    fallbacks: Sequence[FileStore] = (),
    now: datetime | None = None,
) -> SnapshotResult:
    """Back up `records` (one consistent read of the table) with their files into `repo`.
    `deleted`: ids of receipts whose file was deleted on purpose (the old duplicate clean-up).
    `fallbacks`: other repositories to take bytes from when a file is gone from `source`."""
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    key = snapshot_key(when)
    existing = snapshot_files(repo)
    if existing and existing[-1].created_at >= when:
        raise BackupError(f"{existing[-1].key} is not older than this backup ({key}): two "
                          "backups in the same second, or the clock went back")
    # Chain to the previous file's bytes as they are; if they are damaged, verify says so.
    previous = sha256_hex(repo.get(existing[-1].key)) if existing else None
    kept, left_out = _kept_records(records, source, (repo, *fallbacks), deleted)
    paths = _stored_paths(kept)
    sizes: dict[str, int] = {}
    new_objects = new_bytes = 0
    for sha, record in sorted({r.sha256: r for r in reversed(kept)}.items()):
        sizes[sha], written = _ensure_object(repo, record, source, fallbacks)
        new_objects, new_bytes = new_objects + written, new_bytes + sizes[sha] * written
    refs = tuple(ObjectRef(sha256=sha, size=sizes[sha], stored_path=path)
                 for path, sha in sorted(paths.items()))
    snapshot = Snapshot(format=SNAPSHOT_FORMAT, created_at=when, previous=previous,
                        records=tuple(kept), history=tuple(dict(h) for h in history),
                        objects=refs)
    data = encode(snapshot)
    repo.write(key, data)
    if repo.get(key) != data:
        raise RepositoryError(key, "read back differs from what was written; the target "
                                   "store does not keep what it is given")
    return SnapshotResult(key, sha256_hex(data), snapshot, new_objects,
                          len(sizes) - new_objects, new_bytes + len(data), left_out)


def _kept_records(records: Sequence[ReceiptRecord], source: FileStore,
                  repos: Sequence[FileStore], deleted: Collection[str]
                  ) -> tuple[list[ReceiptRecord], tuple[str, ...]]:
    """The records to snapshot, and the ids of deleted ones left out: those whose bytes no
    repository or store holds, and those whose freed path another receipt has taken since
    (their bytes stay in the older snapshots)."""
    claimed = {r.stored_path: r.sha256 for r in records if r.id not in deleted}
    kept, left_out = [], []
    for record in sorted(records, key=lambda r: r.id):
        if record.id in deleted:
            free = claimed.setdefault(record.stored_path, record.sha256) == record.sha256
            held = any(r.exists(object_key(record.sha256)) for r in repos) or (
                source.exists(record.stored_path)
                and sha256_hex(source.get(record.stored_path)) == record.sha256)
            if not (free and held):
                left_out.append(record.id)
                continue
        kept.append(record)
    return kept, tuple(left_out)


def _stored_paths(records: Sequence[ReceiptRecord]) -> dict[str, str]:
    """stored_path -> sha256; two receipts may share a path only with the same bytes."""
    by_path: dict[str, ReceiptRecord] = {}
    for record in records:
        other = by_path.setdefault(record.stored_path, record)
        if other.sha256 != record.sha256:
            raise BackupError(f"receipts {other.id} and {record.id} name the same file "
                              f"{record.stored_path!r} with different sha256")
    return {path: r.sha256 for path, r in by_path.items()}


def _ensure_object(repo: FileStore, record: ReceiptRecord, source: FileStore,
                   fallbacks: Sequence[FileStore]) -> tuple[int, bool]:
    """Make sure `repo` holds the record's bytes: (their size, whether they were written)."""
    key = object_key(record.sha256)
    if repo.exists(key):
        # Wrong bytes under a hash's name: an error naming it, never overwritten.
        return len(read_object(repo, record.sha256)), False
    data = _source_bytes(record, source, fallbacks)
    try:
        repo.write(key, data)
    except StoreConflictError:
        raise RepositoryError(key, "appeared with other bytes while writing") from None
    back = repo.get(key)
    if sha256_hex(back) != record.sha256:
        raise RepositoryError(key, f"verification after write failed: read back {len(back)} "
                                   f"bytes with sha256 {sha256_hex(back)}; check the target "
                                   "store, then remove this object (no snapshot was written)")
    return len(data), True


def _source_bytes(record: ReceiptRecord, source: FileStore,
                  fallbacks: Sequence[FileStore]) -> bytes:
    try:
        data = source.get(record.stored_path)
    except StoredFileNotFoundError:
        for other in fallbacks:
            if other.exists(object_key(record.sha256)):
                return read_object(other, record.sha256)
        raise BackupError(f"receipt {record.id}: file {record.stored_path!r} is missing from "
                          "the store and from the backup repository") from None
    if sha256_hex(data) != record.sha256:  # the record and the file must describe one state
        raise BackupError(f"receipt {record.id}: {record.stored_path!r} does not match its "
                          "sha256")
    return data
