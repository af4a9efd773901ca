"""How backups are configured: where they go (targets) and how long they are kept.

SUPAJOBS_BACKUP_DIR (default .local/backups) is always a target; SUPAJOBS_BACKUP_BUCKET adds a
Supabase Storage bucket of SUPABASE_URL (service-role key from SUPABASE_SERVICE_ROLE_KEY).
SUPAJOBS_BACKUP_RETENTION_YEARS: how long snapshots are kept (default 7, never less).
SUPAJOBS_BACKUP_KEEP is refused: rotation by count was replaced by retention by age.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from supajobs.errors import ConfigurationError
from supajobs_receipts.backup import MIN_RETENTION_YEARS
from supajobs_receipts.storage import FileStore, LocalFileStore
from supajobs_receipts.storage.supabase_storage import SupabaseFileStore

RETENTION_VARIABLE = "SUPAJOBS_BACKUP_RETENTION_YEARS"


@dataclass(frozen=True)
class BackupTarget:
    name: str  # "local:/abs/dir" or "supabase:bucket", the prefix of each recorded path
    store: FileStore

    def uri(self, key: str) -> str:
        return f"{self.name}/{key}"


def local_target(directory: Path) -> BackupTarget:
    store = LocalFileStore(directory)
    return BackupTarget(f"local:{store.root}", store)


def bucket_target(bucket: tuple[str, str, str]) -> BackupTarget:
    return BackupTarget(f"supabase:{bucket[2]}", SupabaseFileStore(*bucket))


def backup_targets(backup_dir: Path, bucket: tuple[str, str, str] | None) -> list[BackupTarget]:
    """The local repository first (the one `duplicate_cleanup` checks), then the bucket."""
    return [local_target(backup_dir), *([bucket_target(bucket)] if bucket else [])]


def bucket_from_env(name: str, env: Mapping[str, str] | None = None) -> tuple[str, str, str]:
    """A bucket named on the command line (supabase:NAME), with the project's credentials."""
    env = os.environ if env is None else env
    url = env.get("SUPABASE_URL", "").strip()
    key = env.get("SUPABASE_SERVICE_ROLE_KEY", "").strip()
    if not url or not key:
        raise ConfigurationError(f"supabase:{name} needs SUPABASE_URL and "
                                 "SUPABASE_SERVICE_ROLE_KEY")
    return url, key, name


def check_retention(years: int) -> None:
    if years < MIN_RETENTION_YEARS:
        raise ConfigurationError(
            f"{RETENTION_VARIABLE} must be at least {MIN_RETENTION_YEARS}, got {years}: "
            f"receipts are kept {MIN_RETENTION_YEARS} years (電子帳簿保存法), and so are their "
            "backups")


def retention_from_env(get: Callable[[str], str | None]) -> int:
    if get("SUPAJOBS_BACKUP_KEEP") is not None:
        raise ConfigurationError(
            "SUPAJOBS_BACKUP_KEEP is no longer used: backups are not rotated any more; they "
            f"are kept by age ({RETENTION_VARIABLE}, default {MIN_RETENTION_YEARS} years) and "
            "removed only by `supajobs receipts backups purge`. Unset SUPAJOBS_BACKUP_KEEP")
    value = get(RETENTION_VARIABLE)
    if value is None:
        return MIN_RETENTION_YEARS
    if not value.isdigit():
        raise ConfigurationError(f"{RETENTION_VARIABLE} must be a whole number of years, got "
                                 f"{value!r}")
    check_retention(int(value))
    return int(value)
