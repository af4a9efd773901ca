"""Reading a backup repository: its snapshots in order, and objects checked against their hash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from supajobs_receipts.backup.snapshot_format import (
    SNAPSHOTS,
    RepositoryError,
    Snapshot,
    decode,
    object_key,
    snapshot_time,
)
from supajobs_receipts.storage.base import FileStore, sha256_hex
from supajobs_receipts.storage.errors import StoredFileNotFoundError


@dataclass(frozen=True)
class SnapshotFile:
    key: str
    created_at: datetime


@dataclass(frozen=True)
class LoadedSnapshot:
    key: str
    sha256: str  # of the file's bytes: what the next snapshot's `previous` must say
    snapshot: Snapshot


def snapshot_files(store: FileStore) -> list[SnapshotFile]:
    """Every snapshot in the repository, oldest first (other files are ignored)."""
    found = []
    for key in store.list(SNAPSHOTS):
        created = snapshot_time(key)
        if created is not None:
            found.append(SnapshotFile(key, created))
    return sorted(found, key=lambda f: f.created_at)


def load_snapshot(store: FileStore, key: str) -> LoadedSnapshot:
    try:
        data = store.get(key)
    except StoredFileNotFoundError:
        raise RepositoryError(key, "missing") from None
    return LoadedSnapshot(key, sha256_hex(data), decode(key, data))


def read_object(store: FileStore, sha256: str, size: int | None = None) -> bytes:
    """An object's bytes, after checking them against its name (and size when known)."""
    key = object_key(sha256)
    try:
        data = store.get(key)
    except StoredFileNotFoundError:
        raise RepositoryError(key, "missing") from None
    got = sha256_hex(data)
    if got != sha256 or (size is not None and len(data) != size):
        expected = f"{size} bytes, sha256 {sha256}" if size is not None else f"sha256 {sha256}"
        raise RepositoryError(key, f"corrupt: expected {expected}; got {len(data)} bytes, "
                                   f"sha256 {got}")
    return data


def check_link(store: FileStore, files: list[SnapshotFile], loaded: LoadedSnapshot) -> None:
    """The snapshot after `loaded` (if any) must name `loaded`'s bytes as its previous."""
    later = [f for f in files if f.created_at > loaded.snapshot.created_at]
    if not later:
        return
    following = load_snapshot(store, later[0].key)
    if following.snapshot.previous != loaded.sha256:
        raise RepositoryError(loaded.key, f"changed after it was written: {following.key} "
                                          f"links to sha256 {following.snapshot.previous}, "
                                          f"the file has {loaded.sha256}")
