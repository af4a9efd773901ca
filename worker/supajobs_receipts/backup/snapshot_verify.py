"""Checking a whole repository: every snapshot, the chain between them, every object named."""

from __future__ import annotations

from supajobs_receipts.backup.repository import read_object, snapshot_files
from supajobs_receipts.backup.snapshot_format import RepositoryError, decode
from supajobs_receipts.storage.base import FileStore, sha256_hex
from supajobs_receipts.storage.errors import StoredFileNotFoundError


def verify_repository(store: FileStore) -> list[str]:
    """Problems found, each naming the snapshot or object; empty when all is well.

    The oldest snapshot's link is not checked: its predecessor may have been purged.
    """
    problems: list[str] = []
    checked: set[tuple[str, int]] = set()
    previous: tuple[str, str] | None = None  # (key, sha256) of the snapshot before
    for file in snapshot_files(store):
        try:
            data = store.get(file.key)
        except StoredFileNotFoundError:
            problems.append(f"{file.key}: vanished while being checked")
            previous = None
            continue
        try:
            snapshot = decode(file.key, data)
        except RepositoryError as exc:
            problems.append(str(exc))
            previous = (file.key, sha256_hex(data))
            continue
        if previous is not None and snapshot.previous != previous[1]:
            problems.append(f"{previous[0]}: breaks the chain: {file.key} links to sha256 "
                            f"{snapshot.previous}, the file has {previous[1]} (changed or "
                            "replaced after it was written)")
        previous = (file.key, sha256_hex(data))
        for ref in snapshot.objects:
            if (ref.sha256, ref.size) in checked:
                continue
            checked.add((ref.sha256, ref.size))
            try:
                read_object(store, ref.sha256, ref.size)
            except RepositoryError as exc:
                problems.append(f"{exc} (named by {file.key} for {ref.stored_path!r})")
    return problems
