"""Backup snapshots: incremental, verified on write, restorable to a date, never clobbering."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from supajobs_receipts.backup import (
    BackupError,
    RepositoryError,
    create_snapshot,
    object_key,
    restore,
    snapshot_files,
    verify_repository,
)
from supajobs_receipts.storage import LocalFileStore, StoredFile, sha256_hex
from unit.backup_factory import add_receipt, stocked_store
from unit.organize_factory import make_receipt

NOW = datetime(2024, 6, 24, 3, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


class CorruptingStore(LocalFileStore):
    """A target that flips the last byte of every object it is given (a bad disk, a proxy)."""

    def write(self, path: str, data: bytes) -> StoredFile:
        if path.startswith("objects/"):
            data = data[:-1] + bytes([data[-1] ^ 1])
        return super().write(path, data)


def test_first_snapshot_holds_every_file_once_and_the_records(tmp_path: Path) -> None:
    store, records = stocked_store(tmp_path / "store")
    repo = LocalFileStore(tmp_path / "repo")
    made = create_snapshot(records, store, repo, history=[{"receipt_id": "r1", "version": 1}],
                           now=NOW)
    assert made.key == "snapshots/20240624T030000Z.json"
    assert (made.new_objects, made.reused_objects) == (3, 0)
    assert repo.list("objects") == sorted(object_key(r.sha256) for r in records[:3])
    body = json.loads(repo.get(made.key))
    assert body["format"] == "supajobs-receipts-snapshot/1" and body["previous"] is None
    assert [r["id"] for r in body["records"]] == ["r1", "r2", "r3", "r9"]
    assert body["history"] == [{"receipt_id": "r1", "version": 1}]
    assert {(o["sha256"], o["stored_path"]) for o in body["objects"]} == {
        (r.sha256, r.stored_path) for r in records}
    assert made.sha256 == sha256_hex(repo.get(made.key))
    assert made.new_bytes == sum(len(store.get(p)) for p in store.list()) + len(
        repo.get(made.key))


def test_second_backup_writes_nothing_new_and_a_new_receipt_writes_one(tmp_path: Path) -> None:
    store, records = stocked_store(tmp_path / "store")
    repo = LocalFileStore(tmp_path / "repo")
    first = create_snapshot(records, store, repo, now=NOW)
    second = create_snapshot(records, store, repo, now=NOW + WEEK)
    assert (second.new_objects, second.reused_objects) == (0, 3)
    assert second.new_bytes == len(repo.get(second.key))  # only the snapshot file
    assert second.snapshot.previous == first.sha256
    third = create_snapshot([*records, add_receipt(store, 20)], store, repo, now=NOW + 2 * WEEK)
    assert (third.new_objects, third.reused_objects) == (1, 3)
    assert len(repo.list("objects")) == 4 and len(snapshot_files(repo)) == 3
    assert verify_repository(repo) == []


def test_a_store_that_corrupts_writes_fails_the_backup_and_no_snapshot_is_written(
        tmp_path: Path) -> None:
    store, records = stocked_store(tmp_path / "store")
    repo = CorruptingStore(tmp_path / "repo")
    with pytest.raises(RepositoryError, match="verification after write failed") as err:
        create_snapshot(records, store, repo, now=NOW)
    assert err.value.key.startswith("objects/")
    assert repo.list("snapshots") == []
    # The bad object is kept and named, never silently overwritten by the next backup.
    with pytest.raises(RepositoryError, match="corrupt: expected sha256") as again:
        create_snapshot(records, store, LocalFileStore(repo.root), now=NOW + WEEK)
    assert again.value.key == err.value.key


def test_missing_or_changed_file_fails_the_backup(tmp_path: Path) -> None:
    store, records = stocked_store(tmp_path / "store")
    repo = LocalFileStore(tmp_path / "repo")
    gone = records[1].model_copy(update={"stored_path": "2024/06/gone.png"})
    with pytest.raises(BackupError, match=r"receipt r2: file '2024/06/gone\.png' is missing"):
        create_snapshot([gone], store, repo, now=NOW)
    changed = records[2].model_copy(update={"sha256": "0" * 64})
    with pytest.raises(BackupError, match=r"r3: .* does not match its sha256"):
        create_snapshot([changed], store, repo, now=NOW)
    clash = records[1].model_copy(update={"id": "r7", "stored_path": records[0].stored_path})
    with pytest.raises(BackupError, match="r1 and r7 name the same file"):
        create_snapshot([records[0], clash], store, repo, now=NOW)
    assert repo.list() == []


def test_a_file_gone_from_the_store_is_backed_up_from_the_repository(tmp_path: Path) -> None:
    store, records = stocked_store(tmp_path / "store")
    repo = LocalFileStore(tmp_path / "repo")
    create_snapshot(records, store, repo, now=NOW)
    store.delete(records[1].stored_path)
    again = create_snapshot(records, store, repo, now=NOW + WEEK)
    assert [r.id for r in again.snapshot.records] == ["r1", "r2", "r3", "r9"]


def test_deleted_receipts_are_kept_when_held_and_left_out_otherwise(tmp_path: Path) -> None:
    store, records = stocked_store(tmp_path / "store")
    repo, other = LocalFileStore(tmp_path / "repo"), LocalFileStore(tmp_path / "other")
    create_snapshot(records[:1], store, other, now=NOW)
    for record in records[:2]:
        store.delete(record.stored_path)
    made = create_snapshot(records[:3], store, repo, deleted={"r1", "r2"}, fallbacks=[other],
                           now=NOW)
    assert made.left_out == ("r2",)  # r1's bytes came from the other repository
    assert [r.id for r in made.snapshot.records] == ["r1", "r3"]


def test_a_deleted_receipt_yields_its_freed_path_to_a_live_one(tmp_path: Path) -> None:
    store, records = stocked_store(tmp_path / "store")
    repo = LocalFileStore(tmp_path / "repo")
    create_snapshot(records[:2], store, repo, now=NOW)
    store.delete(records[1].stored_path)  # the old clean-up deleted r2's file...
    taken = make_receipt(40, data=b"a later look-alike", stored_path=records[1].stored_path)
    store.write(taken.stored_path, b"a later look-alike")  # ...and one was filed there since
    made = create_snapshot([*records[:2], taken], store, repo, deleted={"r2"}, now=NOW + WEEK)
    assert made.left_out == ("r2",) and [r.id for r in made.snapshot.records] == ["r1", "r40"]
    older = restore(repo, LocalFileStore(tmp_path / "then"), at=NOW)  # r2's bytes are kept
    assert [r.id for r in older.records] == ["r1", "r2"]


def test_snapshots_only_move_forward_in_time(tmp_path: Path) -> None:
    store, records = stocked_store(tmp_path / "store")
    repo = LocalFileStore(tmp_path / "repo")
    create_snapshot(records, store, repo, now=NOW)
    with pytest.raises(BackupError, match="is not older than this backup"):
        create_snapshot(records, store, repo, now=NOW)


def test_restore_at_a_date_between_two_snapshots_gives_the_older_one(tmp_path: Path) -> None:
    store, records = stocked_store(tmp_path / "store")
    repo = tmp_path / "repo"
    create_snapshot(records[:2], store, LocalFileStore(repo), now=NOW)
    create_snapshot(records, store, LocalFileStore(repo), now=NOW + WEEK)
    target = LocalFileStore(tmp_path / "restored")
    older = restore(repo, target, at=NOW + timedelta(days=3))  # a directory is a repository
    assert older.source == "snapshots/20240624T030000Z.json"
    assert [r.id for r in older.records] == ["r1", "r2"]
    assert target.list() == sorted(r.stored_path for r in records[:2])
    newest = restore(LocalFileStore(repo), target)
    assert [r.id for r in newest.records] == ["r1", "r2", "r3", "r9"]
    assert (len(newest.written), len(newest.unchanged)) == (1, 2)
    assert target.get(records[2].stored_path) == store.get(records[2].stored_path)
    with pytest.raises(BackupError, match="no snapshot at or before 2024-06-01.*oldest is "
                                          r"snapshots/20240624T030000Z\.json"):
        restore(repo, target, at=datetime(2024, 6, 1, tzinfo=UTC))
    with pytest.raises(BackupError, match="no such backup repository or archive"):
        restore(tmp_path / "nowhere", target)


def test_restore_refuses_a_conflict_and_writes_nothing(tmp_path: Path) -> None:
    store, records = stocked_store(tmp_path / "store")
    repo = LocalFileStore(tmp_path / "repo")
    create_snapshot(records, store, repo, now=NOW)
    target = LocalFileStore(tmp_path / "target")
    target.write(records[2].stored_path, b"someone else's file")
    with pytest.raises(BackupError, match=r"'unknown-date/.*\.jpg' exists in the store with "
                                          "other content; nothing was restored"):
        restore(repo, target)
    assert target.list() == [records[2].stored_path]


def test_restore_verifies_every_object_before_writing(tmp_path: Path) -> None:
    store, records = stocked_store(tmp_path / "store")
    repo = LocalFileStore(tmp_path / "repo")
    create_snapshot(records, store, repo, now=NOW)
    bad = repo.root / object_key(records[2].sha256)
    bad.write_bytes(bad.read_bytes() + b"!")
    target = LocalFileStore(tmp_path / "target")
    with pytest.raises(RepositoryError, match="corrupt: expected") as err:
        restore(repo, target)
    assert err.value.key == object_key(records[2].sha256)
    assert target.list() == []
