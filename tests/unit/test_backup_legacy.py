"""Old `.tar.gz` backups: still verified member by member, still restorable after upgrading."""

from __future__ import annotations

import gzip
import io
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from supajobs_receipts.backup import (
    BackupError,
    CorruptBackupError,
    read_backup,
    restore,
    restore_backup,
    verify_backup,
)
from supajobs_receipts.storage import LocalFileStore
from unit.backup_factory import stocked_store, write_legacy_archive

NOW = datetime(2024, 6, 24, 3, 0, tzinfo=UTC)


def test_an_old_archive_restores_byte_identical_files_and_records(tmp_path: Path) -> None:
    store, records = stocked_store(tmp_path / "store")
    archive = write_legacy_archive(records, store, tmp_path / "backups", NOW)
    assert verify_backup(archive).receipt_count == 4
    target = LocalFileStore(tmp_path / "restored")
    restored = restore(archive, target)  # the one entry point takes archives too
    assert restored.source == "receipts-backup-20240624T030000Z.tar.gz"
    assert target.list() == store.list()
    for path in store.list():
        assert target.get(path) == store.get(path)
    assert list(restored.records) == sorted(records, key=lambda r: r.id)
    assert len(restored.written) == 3
    again = restore_backup(archive, target)  # idempotent
    assert (again.written, len(again.unchanged)) == ((), 3)
    with pytest.raises(BackupError, match="archive of one backup: a date applies only"):
        restore(archive, target, at=NOW)


def _rewrite(
    src: Path, dst: Path, edit: dict[str, bytes | None], extra: tarfile.TarInfo | None = None
) -> Path:
    """Copy an archive, replacing (or dropping, with None) members, manifest untouched."""
    out = io.BytesIO()
    with (
        tarfile.open(src, "r:gz") as tar,
        tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as new,
    ):
        for info in tar:
            data = tar.extractfile(info).read()  # type: ignore[union-attr]
            if info.name in edit:
                if edit[info.name] is None:
                    continue
                data = edit[info.name] or b""
                info.size = len(data)
            new.addfile(info, io.BytesIO(data))
        if extra is not None:
            new.addfile(extra, io.BytesIO(b"x" * extra.size))
    dst.write_bytes(gzip.compress(out.getvalue()))
    return dst


@pytest.fixture
def backup(tmp_path: Path) -> Path:
    store, records = stocked_store(tmp_path / "store")
    return write_legacy_archive(records, store, tmp_path / "b", NOW)


PNG = "files/2024/06/2024-06-21_セブン_540円.png"


def test_flipped_byte_names_the_member_and_restores_nothing(backup: Path, tmp_path: Path) -> None:
    bad = _rewrite(backup, tmp_path / "bad.tar.gz", {PNG: b"\x89PNG\r\n\x1a\n" + b"\x01" * 100})
    target = LocalFileStore(tmp_path / "target")
    with pytest.raises(
        CorruptBackupError, match=r"セブン_540円\.png' is corrupt: expected 108 bytes"
    ) as err:
        restore_backup(bad, target)
    assert err.value.member == PNG
    assert target.list() == []


@pytest.mark.parametrize(
    ("edit", "member", "reason"),
    [
        ({PNG: None}, PNG, "listed in the manifest but missing"),
        ({"manifest.json": None}, "manifest.json", "missing"),
        ({"manifest.json": b"{}"}, "manifest.json", "invalid"),
        ({"receipts.json": b"[1]"}, "receipts.json", "corrupt"),
    ],
)
def test_structural_damage_is_named(
    backup: Path, tmp_path: Path, edit: dict[str, bytes | None], member: str, reason: str
) -> None:
    bad = _rewrite(backup, tmp_path / "bad.tar.gz", edit)
    with pytest.raises(CorruptBackupError, match=reason) as err:
        verify_backup(bad)
    assert err.value.member == member


@pytest.mark.parametrize(
    ("name", "kind", "reason"),
    [
        ("files/extra.pdf", tarfile.REGTYPE, "not listed in the manifest"),
        ("../../etc/evil", tarfile.REGTYPE, "'..'"),
        ("/abs/evil", tarfile.REGTYPE, "absolute"),
        ("files/link", tarfile.SYMTYPE, "not a regular file"),
        ("elsewhere.txt", tarfile.REGTYPE, "unexpected member"),
    ],
)
def test_hostile_members_are_rejected(
    backup: Path, tmp_path: Path, name: str, kind: bytes, reason: str
) -> None:
    extra = tarfile.TarInfo(name)
    extra.type = kind
    extra.size = 3 if kind == tarfile.REGTYPE else 0
    if kind == tarfile.SYMTYPE:
        extra.linkname = "/etc/passwd"
    bad = _rewrite(backup, tmp_path / "bad.tar.gz", {}, extra)
    with pytest.raises(CorruptBackupError, match=reason) as err:
        read_backup(bad)
    assert err.value.member == name


def test_truncated_archive(backup: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    with pytest.raises(CorruptBackupError, match="'archive' is corrupt: unreadable") as err:
        verify_backup(cut)
    assert err.value.member == "archive"


def test_restore_refuses_to_overwrite_different_content(backup: Path, tmp_path: Path) -> None:
    target = LocalFileStore(tmp_path / "target")
    target.write(PNG.removeprefix("files/"), b"someone else's file")
    with pytest.raises(BackupError, match="other content; nothing was restored"):
        restore_backup(backup, target)
    assert target.list() == [PNG.removeprefix("files/")]
