"""The point of the repository: an original once backed up stays restorable, whatever happens
to the store afterwards (files deleted, receipts dropped from the table), until a purge after
seven years."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from supajobs_receipts.backup import create_snapshot, object_key, restore, verify_repository
from supajobs_receipts.organize.records import ReceiptRecord
from supajobs_receipts.storage import LocalFileStore
from unit.backup_factory import add_receipt

T0 = datetime(2024, 6, 24, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ten_backups_while_files_vanish_keep_every_original(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    store = LocalFileStore(tmp_path / "store")
    repo = LocalFileStore(tmp_path / "repo")
    table: dict[str, ReceiptRecord] = {}  # what the database lists
    deleted: set[str] = set()  # rows whose file is gone (the old duplicate clean-up)
    originals: dict[str, tuple[ReceiptRecord, bytes]] = {}  # everything ever backed up
    n = 0
    for week in range(10):
        for _ in range(rng.randint(1, 3)):
            n += 1
            data = rng.randbytes(rng.randint(1, 400)) + bytes([n])
            record = add_receipt(store, n, data=data)
            table[record.id] = record
            originals[record.id] = (record, data)
        made = create_snapshot(list(table.values()), store, repo, deleted=deleted,
                               now=T0 + timedelta(weeks=week))
        assert made.left_out == ()
        assert {r.id for r in made.snapshot.records} == set(table)
        listed_last = set(table)
        # Between backups: a file deleted from the store (its row stays), and a whole
        # receipt dropped from the table; neither may cost its bytes.
        present = [r for r in table.values() if store.exists(r.stored_path)]
        if present:
            gone = rng.choice(present)
            store.delete(gone.stored_path)
            deleted.add(gone.id)
        if len(table) > 2 and rng.random() < 0.5:
            table.pop(rng.choice(sorted(table)))

    assert verify_repository(repo) == []
    for record, data in originals.values():
        assert repo.get(object_key(record.sha256)) == data  # every object kept
    # The newest snapshot has every receipt still listed, files deleted from the store too.
    newest = restore(repo, LocalFileStore(tmp_path / "now"))
    assert {r.id for r in newest.records} == listed_last
    # And a receipt dropped from the table comes back from the week it was last backed up.
    for week in range(10):
        target = LocalFileStore(tmp_path / f"week{week}")
        restored = restore(repo, target, at=T0 + timedelta(weeks=week, hours=1))
        for record in restored.records:
            assert target.get(record.stored_path) == originals[record.id][1]
    assert {r.id for w in range(10) for r in restore(
        repo, LocalFileStore(tmp_path / f"week{w}"), at=T0 + timedelta(weeks=w)).records
            } == set(originals)
