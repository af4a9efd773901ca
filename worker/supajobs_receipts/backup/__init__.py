"""Backups (job type `backup_create`): a verified `.tar.gz` of receipts and files, rotated."""

from supajobs_receipts.backup.archive_format import BackupError, CorruptBackupError, Manifest
from supajobs_receipts.backup.catalog import backed_up_hashes
from supajobs_receipts.backup.create import BackupResult, create_backup, rotate
from supajobs_receipts.backup.restore import (
    RestoreResult,
    read_backup,
    restore_backup,
    verify_backup,
)

__all__ = [
    "BackupError",
    "BackupResult",
    "CorruptBackupError",
    "Manifest",
    "RestoreResult",
    "backed_up_hashes",
    "create_backup",
    "read_backup",
    "restore_backup",
    "rotate",
    "verify_backup",
]
