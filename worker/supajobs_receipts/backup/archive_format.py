"""The old backup archive's layout (read only: backups are repositories now, see
`snapshot_format`; `restore` still accepts these archives).

manifest.json          {"format", "created_at", "receipt_count", "members": [...]}
receipts.json          the receipt records, sorted by id
files/<stored_path>    each stored file once, at its path in the store
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

FORMAT = "supajobs-receipts-backup/1"
MANIFEST = "manifest.json"
RECORDS = "receipts.json"
FILES_PREFIX = "files/"
NAME_PATTERN = re.compile(r"^receipts-backup-\d{8}T\d{6}Z\.tar\.gz$")


class BackupError(Exception):
    """A backup could not be created or restored."""


class CorruptBackupError(BackupError):
    """A backup failed verification; `member` names the bad part ("archive" for the whole)."""

    def __init__(self, archive: Path, member: str, reason: str) -> None:
        super().__init__(f"backup {archive.name}: {member!r} is corrupt: {reason}")
        self.archive = archive
        self.member = member
        self.reason = reason


class ManifestEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    format: str
    created_at: str
    receipt_count: int = Field(ge=0)
    members: tuple[ManifestEntry, ...]


def backups_in(directory: Path) -> list[Path]:
    """Old archives in `directory`, oldest first (names sort by time)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if NAME_PATTERN.match(p.name) and p.is_file())
