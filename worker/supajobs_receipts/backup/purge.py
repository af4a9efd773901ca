"""Retention by age: deleting snapshots older than the retention period, and the objects only
they referred to. Receipts are evidence for 7 years (電子帳簿保存法), so nothing younger goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from supajobs_receipts.backup.archive_format import BackupError
from supajobs_receipts.backup.repository import load_snapshot, snapshot_files
from supajobs_receipts.backup.snapshot_format import object_key
from supajobs_receipts.storage.base import FileStore

MIN_RETENTION_YEARS = 7


class RetentionError(BackupError):
    """A purge that would delete something still inside the retention period."""


@dataclass(frozen=True)
class PurgeResult:
    snapshots: tuple[str, ...]  # deleted (with dry_run: would be deleted)
    objects: tuple[str, ...]
    kept_snapshots: int
    dry_run: bool


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February, and the year then is not a leap year
        return moment.replace(year=moment.year - years, day=28)


def retention_limit(now: datetime, retention_years: int) -> datetime:
    """The latest `before` a purge may be given."""
    if retention_years < MIN_RETENTION_YEARS:
        raise RetentionError(f"a retention of {retention_years} years is below the "
                             f"{MIN_RETENTION_YEARS} years receipts must be kept")
    return years_before(now, retention_years)


def purge(store: FileStore, before: datetime, retention_years: int, now: datetime, *,
          dry_run: bool = False) -> PurgeResult:
    """Delete the snapshots created before `before` (never the newest one), then the objects
    that only they named. Refused, with nothing deleted, when `before` is within the
    retention period, or when a snapshot cannot be read (what it needs would be unknown)."""
    if before.tzinfo is None or now.tzinfo is None:
        raise ValueError("`before` and `now` must be aware datetimes")
    limit = retention_limit(now, retention_years)
    if before > limit:
        raise RetentionError(
            f"refusing to purge before {before.isoformat()}: backups are kept "
            f"{retention_years} years, so only snapshots from before {limit.isoformat()} may "
            "be deleted; nothing was deleted")
    files = snapshot_files(store)
    doomed = [f for f in files[:-1] if f.created_at < before]  # files are oldest first
    kept = files[len(doomed):]
    needed = {o.sha256 for f in kept for o in load_snapshot(store, f.key).snapshot.objects}
    # Only objects a purged snapshot named: an object that a running backup has just written
    # belongs to no snapshot yet, and stays.
    named = {o.sha256 for f in doomed for o in load_snapshot(store, f.key).snapshot.objects}
    objects = tuple(object_key(sha) for sha in sorted(named - needed))
    if not dry_run:
        for file in doomed:  # oldest first: what remains is always an unbroken chain
            store.delete(file.key)
        for key in objects:
            if store.exists(key):
                store.delete(key)
    return PurgeResult(tuple(f.key for f in doomed), objects, len(kept), dry_run)
