"""A backup repository in a Supabase Storage bucket (the second place), against the respx
stand-in of the Storage API that the store's own tests use."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import respx

from supajobs_receipts.backup import (
    create_snapshot,
    object_key,
    purge,
    restore,
    snapshot_files,
    verify_repository,
)
from supajobs_receipts.storage import LocalFileStore
from supajobs_receipts.storage.supabase_storage import SupabaseFileStore
from unit.backup_factory import add_receipt, stocked_store
from unit.test_storage_supabase import BASE, KEY, FakeBucket

NOW = datetime(2024, 6, 24, 3, 0, tzinfo=UTC)


@pytest.fixture
def bucket() -> Iterator[FakeBucket]:
    fake = FakeBucket("receipt-backups")
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.route().mock(side_effect=fake)
        yield fake


@pytest.fixture
def repo(bucket: FakeBucket) -> SupabaseFileStore:
    return SupabaseFileStore("https://proj.supabase.co/", KEY, "receipt-backups")


def test_incremental_snapshots_in_a_bucket(tmp_path: Path, repo: SupabaseFileStore,
                                           bucket: FakeBucket) -> None:
    store, records = stocked_store(tmp_path / "store")
    first = create_snapshot(records, store, repo, now=NOW)
    assert (first.new_objects, first.reused_objects) == (3, 0)
    assert set(bucket.objects) == {first.key, *(object_key(r.sha256) for r in records)}
    assert bucket.content_types[first.key] == "application/json"
    second = create_snapshot([*records, add_receipt(store, 20)], store, repo,
                             now=NOW + timedelta(days=7))
    assert (second.new_objects, second.reused_objects) == (1, 3)
    assert json.loads(bucket.objects[second.key])["previous"] == first.sha256
    assert [f.key for f in snapshot_files(repo)] == [first.key, second.key]
    assert verify_repository(repo) == []


def test_restore_from_the_bucket_and_damage_is_named(tmp_path: Path, repo: SupabaseFileStore,
                                                     bucket: FakeBucket) -> None:
    store, records = stocked_store(tmp_path / "store")
    create_snapshot(records, store, repo, now=NOW)
    target = LocalFileStore(tmp_path / "restored")
    restored = restore(repo, target)
    assert target.list() == store.list() and len(restored.records) == 4
    key = object_key(records[0].sha256)
    bucket.objects[key] = bucket.objects[key][:-1]
    (problem,) = verify_repository(repo)
    assert problem.startswith(f"{key}: corrupt: expected 266 bytes")


def test_a_purge_in_the_bucket_deletes_only_unreferenced_objects(
        tmp_path: Path, repo: SupabaseFileStore, bucket: FakeBucket) -> None:
    store, records = stocked_store(tmp_path / "store")
    old = NOW.replace(year=2014)
    create_snapshot(records[:1], store, repo, now=old)
    create_snapshot(records[1:2], store, repo, now=old + timedelta(days=7))
    done = purge(repo, old + timedelta(days=1), 7, NOW)
    assert done.objects == (object_key(records[0].sha256),)
    assert set(bucket.objects) == {"snapshots/20140701T030000Z.json",
                                   object_key(records[1].sha256)}
