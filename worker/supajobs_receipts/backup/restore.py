"""Verifying a backup completely before restoring anything from it."""

from __future__ import annotations

import json
import os
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from supajobs_receipts.backup.archive_format import (
    FILES_PREFIX,
    FORMAT,
    MANIFEST,
    RECORDS,
    BackupError,
    CorruptBackupError,
    Manifest,
)
from supajobs_receipts.organize.records import ReceiptRecord
from supajobs_receipts.storage.base import FileStore, sha256_hex
from supajobs_receipts.storage.errors import UnsafePathError
from supajobs_receipts.storage.keys import validate_key


@dataclass(frozen=True)
class VerifiedBackup:
    manifest: Manifest
    records: tuple[ReceiptRecord, ...]
    files: dict[str, bytes]  # stored_path → bytes, every one checked against the manifest


@dataclass(frozen=True)
class RestoreResult:
    records: tuple[ReceiptRecord, ...]  # for the caller to upsert into `receipts`
    written: tuple[str, ...]
    unchanged: tuple[str, ...]  # already in the store with identical bytes


def _read_members(path: Path) -> dict[str, bytes]:
    members: dict[str, bytes] = {}
    try:
        with tarfile.open(path, "r:gz") as tar:
            for info in tar:
                if not info.isreg():
                    raise CorruptBackupError(path, info.name, "not a regular file")
                try:
                    validate_key(info.name)
                except UnsafePathError as exc:
                    raise CorruptBackupError(path, info.name, exc.reason) from None
                if info.name not in (MANIFEST, RECORDS) and not info.name.startswith(FILES_PREFIX):
                    raise CorruptBackupError(path, info.name, "unexpected member")
                if info.name in members:
                    raise CorruptBackupError(path, info.name, "appears twice")
                handle = tar.extractfile(info)
                members[info.name] = handle.read() if handle else b""
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise CorruptBackupError(path, "archive", f"unreadable ({exc})") from None
    return members


def _manifest(path: Path, members: dict[str, bytes]) -> Manifest:
    if MANIFEST not in members:
        raise CorruptBackupError(path, MANIFEST, "missing")
    try:
        manifest = Manifest.model_validate_json(members.pop(MANIFEST))
    except ValidationError as exc:
        raise CorruptBackupError(path, MANIFEST, f"invalid ({exc.error_count()} errors)") from None
    if manifest.format != FORMAT:
        raise CorruptBackupError(path, MANIFEST, f"unknown format {manifest.format!r}")
    return manifest


def read_backup(archive: str | os.PathLike[str]) -> VerifiedBackup:
    """Read and check every member's size and sha256 against the manifest, and every
    record against its file; raise `CorruptBackupError` naming the first bad member."""
    path = Path(archive)
    members = _read_members(path)
    manifest = _manifest(path, members)
    listed = {e.name: e for e in manifest.members}
    for name in sorted(set(members) - set(listed)):
        raise CorruptBackupError(path, name, "not listed in the manifest")
    for name, entry in sorted(listed.items()):
        if name not in members:
            raise CorruptBackupError(path, name, "listed in the manifest but missing")
        data = members[name]
        if len(data) != entry.size or sha256_hex(data) != entry.sha256:
            got = f"{len(data)} bytes, sha256 {sha256_hex(data)}"
            raise CorruptBackupError(
                path, name, f"expected {entry.size} bytes, sha256 {entry.sha256}; got {got}"
            )
    try:
        rows = json.loads(members.get(RECORDS, b"null"))
        records = tuple(ReceiptRecord.model_validate(row) for row in rows)
    except (ValueError, TypeError, ValidationError) as exc:
        raise CorruptBackupError(path, RECORDS, f"not a list of receipts ({exc})") from None
    files = {n.removeprefix(FILES_PREFIX): d for n, d in members.items() if n != RECORDS}
    for record in records:
        held = files.get(record.stored_path)
        if held is None or sha256_hex(held) != record.sha256:
            raise CorruptBackupError(
                path, FILES_PREFIX + record.stored_path, f"does not hold receipt {record.id}'s file"
            )
    if len(records) != manifest.receipt_count:
        raise CorruptBackupError(path, RECORDS, "receipt count differs from the manifest")
    return VerifiedBackup(manifest, records, files)


def verify_backup(archive: str | os.PathLike[str]) -> Manifest:
    return read_backup(archive).manifest


def restore_backup(archive: str | os.PathLike[str], store: FileStore) -> RestoreResult:
    """Verify everything, check for conflicts, and only then write files into `store`."""
    backup = read_backup(archive)
    unchanged: list[str] = []
    for stored_path, data in sorted(backup.files.items()):
        if store.exists(stored_path):
            if sha256_hex(store.get(stored_path)) != sha256_hex(data):
                raise BackupError(
                    f"{stored_path!r} exists in the store with other content; nothing was restored"
                )
            unchanged.append(stored_path)
    written = [p for p in sorted(backup.files) if p not in set(unchanged)]
    for stored_path in written:
        store.write(stored_path, backup.files[stored_path])
    return RestoreResult(backup.records, tuple(written), tuple(unchanged))
