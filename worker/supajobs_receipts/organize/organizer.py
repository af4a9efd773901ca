"""Filing one receipt in a store under its name from `naming` (job type `file_organize`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from supajobs_receipts.organize.naming import candidate_path, in_family, receipt_path
from supajobs_receipts.organize.records import ReceiptRecord
from supajobs_receipts.storage.base import FileStore, sha256_hex
from supajobs_receipts.storage.errors import StoreConflictError, StoredFileNotFoundError

MAX_COLLISIONS = 1000

Action = Literal["moved", "unchanged", "already_there"]


class OrganizeError(Exception):
    """The receipt could not be filed (names exhausted, or its file is missing)."""


@dataclass(frozen=True)
class OrganizeResult:
    receipt_id: str
    old_path: str
    new_path: str
    # moved: renamed now; unchanged: already filed under its name; already_there: identical
    # bytes were filed earlier (e.g. a run that crashed before recording the new path).
    action: Action


def organize_receipt(
    record: ReceiptRecord, store: FileStore, *, max_collisions: int = MAX_COLLISIONS
) -> OrganizeResult:
    """Move the receipt's file to its canonical name; safe to re-run any number of times.

    The caller records `new_path` as the receipt's `stored_path`. The source is never
    deleted except by the rename itself.
    """
    base = receipt_path(record)
    old = record.stored_path
    if in_family(old, base) and store.exists(old):
        return OrganizeResult(record.id, old, old, "unchanged")
    for n in range(1, max_collisions + 1):
        candidate = candidate_path(base, n)
        if store.exists(candidate):
            if sha256_hex(store.get(candidate)) == record.sha256:
                return OrganizeResult(record.id, old, candidate, "already_there")
            continue
        if not store.exists(old):
            raise OrganizeError(
                f"receipt {record.id}: its file {old!r} is not in the store"
            ) from StoredFileNotFoundError(old)
        try:
            store.move(old, candidate)
        except StoreConflictError:
            continue  # someone took the name between our check and the move; try the next
        return OrganizeResult(record.id, old, candidate, "moved")
    raise OrganizeError(
        f"receipt {record.id}: no free name for {base!r} after {max_collisions} tries"
    )
