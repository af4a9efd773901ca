"""Creating a verified `.tar.gz` backup of the receipt records and their files."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from supajobs_receipts.backup.archive_format import (
    FILES_PREFIX,
    FORMAT,
    MANIFEST,
    NAME_FORMAT,
    RECORDS,
    BackupError,
    Manifest,
    ManifestEntry,
    backups_in,
)
from supajobs_receipts.backup.restore import verify_backup
from supajobs_receipts.organize.records import ReceiptRecord
from supajobs_receipts.storage.base import FileStore, sha256_hex
from supajobs_receipts.storage.errors import StoredFileNotFoundError


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest
    removed: tuple[Path, ...]  # older backups deleted by rotation


def _collect(records: Sequence[ReceiptRecord], store: FileStore) -> dict[str, bytes]:
    members: dict[str, bytes] = {}
    ordered = sorted(records, key=lambda r: r.id)
    export = [r.model_dump(mode="json") for r in ordered]
    members[RECORDS] = json.dumps(export, ensure_ascii=False, indent=1).encode()
    for r in ordered:
        name = FILES_PREFIX + r.stored_path
        if name in members:
            continue
        try:
            data = store.get(r.stored_path)
        except StoredFileNotFoundError:
            raise BackupError(f"receipt {r.id}: file {r.stored_path!r} is missing") from None
        if sha256_hex(data) != r.sha256:  # the record and the file must describe one state
            raise BackupError(f"receipt {r.id}: {r.stored_path!r} does not match its sha256")
        members[name] = data
    return members


def _write_archive(target: Path, members: dict[str, bytes], manifest: Manifest) -> None:
    stamp = int(datetime.fromisoformat(manifest.created_at).timestamp())
    ordered = [(MANIFEST, manifest.model_dump_json(indent=1).encode()), *sorted(members.items())]
    with target.open("wb") as raw, gzip.GzipFile("", "wb", fileobj=raw, mtime=stamp) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name, data in ordered:
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = len(data), stamp, 0o644
                tar.addfile(info, io.BytesIO(data))
        gz.flush()
        raw.flush()
        os.fsync(raw.fileno())


def create_backup(
    records: Sequence[ReceiptRecord],
    store: FileStore,
    dest_dir: str | os.PathLike[str],
    *,
    keep: int,
    now: datetime | None = None,
) -> BackupResult:
    """Archive `records` (one consistent snapshot, read by the caller in one transaction)
    with their files; verify the archive; then delete all but the newest `keep` backups."""
    if keep < 1:
        raise ValueError(f"keep must be at least 1, got {keep}")
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    directory = Path(dest_dir)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / when.strftime(NAME_FORMAT)
    if final.exists():
        raise BackupError(f"{final.name} already exists")
    members = _collect(records, store)
    manifest = Manifest(
        format=FORMAT,
        created_at=when.isoformat(),
        receipt_count=len(records),
        members=tuple(
            ManifestEntry(name=n, sha256=sha256_hex(d), size=len(d))
            for n, d in sorted(members.items())
        ),
    )
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".tar.gz", dir=directory)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _write_archive(tmp, members, manifest)
        verify_backup(tmp)  # never rotate old backups away for one we cannot read back
        os.replace(tmp, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return BackupResult(final, manifest, rotate(directory, keep))


def rotate(directory: Path, keep: int) -> tuple[Path, ...]:
    """Delete all but the newest `keep` backups in `directory`."""
    old = backups_in(directory)[:-keep]
    for path in old:
        path.unlink()
    return tuple(old)
