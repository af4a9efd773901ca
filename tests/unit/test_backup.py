"""Backups: complete, deterministic, verified, rotated; restores byte-identical files."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from supajobs_receipts.backup import (
    BackupError,
    CorruptBackupError,
    backed_up_hashes,
    create_backup,
    read_backup,
    restore_backup,
    verify_backup,
)
from supajobs_receipts.organize.records import ReceiptRecord
from supajobs_receipts.storage import LocalFileStore, sha256_hex
from unit.organize_factory import make_receipt

NOW = datetime(2024, 6, 24, 3, 0, tzinfo=UTC)


def _setup(tmp_path: Path) -> tuple[LocalFileStore, list[ReceiptRecord]]:
    store = LocalFileStore(tmp_path / "store")
    blobs = {
        "2024/06/2024-06-20_スターバックス_1234円.pdf": b"%PDF-1.4 a" + bytes(range(256)),
        "2024/06/2024-06-21_セブン_540円.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        "unknown-date/unknown-date_不明_金額不明.jpg": b"\xff\xd8\xff jpeg",
    }
    records = []
    for n, (path, data) in enumerate(blobs.items(), start=1):
        store.write(path, data)
        records.append(make_receipt(n, data=data, stored_path=path))
    # An exact duplicate row pointing at the same file: the file is archived once.
    records.append(
        make_receipt(9, data=blobs[records[0].stored_path], stored_path=records[0].stored_path)
    )
    return store, records


def test_backup_restores_byte_identical_files_and_records(tmp_path: Path) -> None:
    store, records = _setup(tmp_path)
    result = create_backup(records, store, tmp_path / "backups", keep=3, now=NOW)
    assert result.path.name == "receipts-backup-20240624T030000Z.tar.gz"
    names = [m.name for m in result.manifest.members]
    assert names == sorted(names)
    assert "receipts.json" in names
    assert len([n for n in names if n.startswith("files/")]) == 3
    assert result.manifest.receipt_count == 4

    target = LocalFileStore(tmp_path / "restored")
    restored = restore_backup(result.path, target)
    assert target.list() == store.list()
    for path in store.list():
        assert target.get(path) == store.get(path)
    assert list(restored.records) == sorted(records, key=lambda r: r.id)
    assert len(restored.written) == 3
    again = restore_backup(result.path, target)  # idempotent
    assert (again.written, len(again.unchanged)) == ((), 3)


def test_manifest_lists_every_member_with_hash_and_size(tmp_path: Path) -> None:
    store, records = _setup(tmp_path)
    result = create_backup(records, store, tmp_path / "b", keep=1, now=NOW)
    with tarfile.open(result.path, "r:gz") as tar:
        members = {i.name: tar.extractfile(i).read() for i in tar if i.isreg()}  # type: ignore[union-attr]
    manifest = json.loads(members.pop("manifest.json"))
    assert {m["name"] for m in manifest["members"]} == set(members)
    for entry in manifest["members"]:
        assert entry["sha256"] == sha256_hex(members[entry["name"]])
        assert entry["size"] == len(members[entry["name"]])


def test_same_input_gives_identical_archive(tmp_path: Path) -> None:
    store, records = _setup(tmp_path)
    first = create_backup(records, store, tmp_path / "one", keep=1, now=NOW)
    second = create_backup(list(reversed(records)), store, tmp_path / "two", keep=1, now=NOW)
    assert first.path.read_bytes() == second.path.read_bytes()


def test_rotation_keeps_the_newest(tmp_path: Path) -> None:
    store, records = _setup(tmp_path)
    dest = tmp_path / "b"
    (dest / "notes.txt").parent.mkdir()
    (dest / "notes.txt").write_text("not a backup")
    paths = [
        create_backup(records, store, dest, keep=2, now=NOW + timedelta(days=d)).path
        for d in range(4)
    ]
    assert sorted(p.name for p in dest.iterdir()) == sorted(
        [paths[2].name, paths[3].name, "notes.txt"]
    )
    with pytest.raises(ValueError, match="keep must be at least 1"):
        create_backup(records, store, dest, keep=0)
    with pytest.raises(BackupError, match="already exists"):
        create_backup(records, store, dest, keep=2, now=NOW + timedelta(days=3))


def test_missing_or_changed_file_fails_the_backup(tmp_path: Path) -> None:
    store, records = _setup(tmp_path)
    gone = records[1].model_copy(update={"stored_path": "2024/06/gone.png"})
    with pytest.raises(BackupError, match=r"receipt r2: file '2024/06/gone\.png' is missing"):
        create_backup([gone], store, tmp_path / "b", keep=1, now=NOW)
    changed = records[2].model_copy(update={"sha256": "0" * 64})
    with pytest.raises(BackupError, match=r"r3: .* does not match its sha256"):
        create_backup([changed], store, tmp_path / "b", keep=1, now=NOW)
    assert not list((tmp_path / "b").iterdir())  # no partial archive left behind


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
    store, records = _setup(tmp_path)
    return create_backup(records, store, tmp_path / "b", keep=1, now=NOW).path


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


def test_backed_up_hashes_counts_only_verified_backups(tmp_path: Path) -> None:
    store, records = _setup(tmp_path)
    dest = tmp_path / "b"
    create_backup(records[:1], store, dest, keep=5, now=NOW)
    second = create_backup(records[1:2], store, dest, keep=5, now=NOW + timedelta(days=1))
    assert backed_up_hashes(dest) == {records[0].sha256, records[1].sha256}
    second.path.write_bytes(b"garbage")
    assert backed_up_hashes(dest) == {records[0].sha256}
    assert backed_up_hashes(tmp_path / "nowhere") == frozenset()
