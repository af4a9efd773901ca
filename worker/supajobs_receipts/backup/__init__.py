"""Backups (job type `backup_create`): a content-addressed repository on any `FileStore`.

Each file's bytes are stored once under `objects/`, each backup is a verified snapshot under
`snapshots/` chained to the one before, and snapshots are purged by age only (7 years at
least). Old `.tar.gz` archives can still be verified and restored.
"""

from supajobs_receipts.backup.archive_format import BackupError, CorruptBackupError, Manifest
from supajobs_receipts.backup.purge import (
    MIN_RETENTION_YEARS,
    PurgeResult,
    RetentionError,
    purge,
    retention_limit,
)
from supajobs_receipts.backup.repository import SnapshotFile, load_snapshot, snapshot_files
from supajobs_receipts.backup.restore import (
    RestoreResult,
    read_backup,
    restore_backup,
    verify_backup,
)
from supajobs_receipts.backup.snapshot_create import SnapshotResult, create_snapshot
from supajobs_receipts.backup.snapshot_format import (
    ObjectRef,
    RepositoryError,
    Snapshot,
    object_key,
    snapshot_key,
)
from supajobs_receipts.backup.snapshot_restore import SnapshotRestore, restore
from supajobs_receipts.backup.snapshot_verify import verify_repository

__all__ = [
    "MIN_RETENTION_YEARS",
    "BackupError",
    "CorruptBackupError",
    "Manifest",
    "ObjectRef",
    "PurgeResult",
    "RepositoryError",
    "RestoreResult",
    "RetentionError",
    "Snapshot",
    "SnapshotFile",
    "SnapshotRestore",
    "SnapshotResult",
    "create_snapshot",
    "load_snapshot",
    "object_key",
    "purge",
    "read_backup",
    "restore",
    "restore_backup",
    "retention_limit",
    "snapshot_files",
    "snapshot_key",
    "verify_backup",
    "verify_repository",
]
