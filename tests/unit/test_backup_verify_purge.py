"""verify_repository names each damaged snapshot or object; purge goes by age, 7 years at least."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from supajobs_receipts.backup import (
    RepositoryError,
    RetentionError,
    create_snapshot,
    object_key,
    purge,
    restore,
    snapshot_files,
    verify_repository,
)
from supajobs_receipts.organize.records import ReceiptRecord
from supajobs_receipts.storage import LocalFileStore
from unit.backup_factory import add_receipt, stocked_store

T0 = datetime(2016, 1, 4, 3, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def three_snapshots(tmp_path: Path) -> tuple[LocalFileStore, list[ReceiptRecord]]:
    """2016: r1, r2; 2018: r2, r3 (r1's receipt gone); 2025: r3 and a new receipt."""
    store, records = stocked_store(tmp_path / "store")
    repo = LocalFileStore(tmp_path / "repo")
    create_snapshot(records[:2], store, repo, now=T0)
    create_snapshot(records[1:3], store, repo, now=T0.replace(year=2018))
    create_snapshot([records[2], add_receipt(store, 30)], store, repo, now=T0.replace(year=2025))
    return repo, records


def test_a_sound_repository_has_no_problems(tmp_path: Path) -> None:
    repo, _ = three_snapshots(tmp_path)
    assert verify_repository(repo) == []
    assert verify_repository(LocalFileStore(tmp_path / "empty")) == []


def test_a_flipped_byte_in_an_object_is_named(tmp_path: Path) -> None:
    repo, records = three_snapshots(tmp_path)
    path = repo.root / object_key(records[1].sha256)
    data = bytearray(path.read_bytes())
    data[5] ^= 0x40
    path.write_bytes(bytes(data))
    (problem,) = verify_repository(repo)
    assert problem.startswith(object_key(records[1].sha256) + ": corrupt: expected 108 bytes")
    assert "named by snapshots/20160104T030000Z.json" in problem


def test_a_missing_object_is_named(tmp_path: Path) -> None:
    repo, records = three_snapshots(tmp_path)
    repo.delete(object_key(records[2].sha256))
    (problem,) = verify_repository(repo)
    assert problem.startswith(f"{object_key(records[2].sha256)}: missing (named by snapshots/2018")


def test_an_edited_snapshot_breaks_the_chain(tmp_path: Path) -> None:
    repo, _ = three_snapshots(tmp_path)
    key = "snapshots/20180104T030000Z.json"
    body = json.loads(repo.get(key))
    body["records"][0]["total"] = 1  # a quiet edit that still parses
    (repo.root / key).write_text(json.dumps(body, ensure_ascii=False, indent=1))
    (problem,) = verify_repository(repo)
    assert problem.startswith(f"{key}: breaks the chain: snapshots/20250104T030000Z.json links")
    with pytest.raises(RepositoryError, match="changed after it was written") as err:
        restore(repo, LocalFileStore(tmp_path / "t"), at=T0.replace(year=2019))
    assert err.value.key == key


def test_an_unreadable_snapshot_is_named(tmp_path: Path) -> None:
    repo, _ = three_snapshots(tmp_path)
    (repo.root / "snapshots/20250104T030000Z.json").write_text("{not json")
    (problem,) = verify_repository(repo)
    assert problem.startswith("snapshots/20250104T030000Z.json: not a snapshot")


@pytest.mark.parametrize("years", [0, 1, 6])
def test_purge_refuses_a_retention_below_seven_years(tmp_path: Path, years: int) -> None:
    repo, _ = three_snapshots(tmp_path)
    with pytest.raises(RetentionError, match="below the 7 years receipts must be kept"):
        purge(repo, datetime(2017, 1, 1, tzinfo=UTC), years, NOW)
    assert len(snapshot_files(repo)) == 3


def test_purge_refuses_anything_younger_than_the_retention(tmp_path: Path) -> None:
    repo, _ = three_snapshots(tmp_path)
    before = len(repo.list())
    with pytest.raises(RetentionError, match=r"only snapshots from before 2019-06-01.*nothing "
                                             "was deleted"):
        purge(repo, datetime(2019, 6, 2, tzinfo=UTC), 7, NOW)
    with pytest.raises(RetentionError, match="kept 10 years"):
        purge(repo, datetime(2017, 1, 1, tzinfo=UTC), 10, NOW)
    assert len(repo.list()) == before


def test_purge_keeps_objects_still_referenced(tmp_path: Path) -> None:
    repo, records = three_snapshots(tmp_path)
    dry = purge(repo, datetime(2017, 1, 1, tzinfo=UTC), 7, NOW, dry_run=True)
    assert dry.snapshots == ("snapshots/20160104T030000Z.json",) and dry.dry_run
    assert len(snapshot_files(repo)) == 3
    done = purge(repo, datetime(2017, 1, 1, tzinfo=UTC), 7, NOW)
    # r1's bytes only the 2016 snapshot named; r2's the 2018 one still needs.
    assert (done.snapshots, done.objects) == (dry.snapshots, (object_key(records[0].sha256),))
    assert not repo.exists(object_key(records[0].sha256))
    assert repo.exists(object_key(records[1].sha256))
    assert verify_repository(repo) == []  # the oldest remaining snapshot's link is not checked
    assert purge(repo, datetime(2017, 1, 1, tzinfo=UTC), 7, NOW).snapshots == ()


def test_purge_always_keeps_the_newest_snapshot(tmp_path: Path) -> None:
    repo, records = three_snapshots(tmp_path)
    late = NOW + timedelta(days=365 * 30)
    done = purge(repo, datetime(2030, 1, 1, tzinfo=UTC), 7, late)
    assert done.kept_snapshots == 1 and len(done.snapshots) == 2
    assert [f.key for f in snapshot_files(repo)] == ["snapshots/20250104T030000Z.json"]
    assert repo.exists(object_key(records[2].sha256))
    restored = restore(repo, LocalFileStore(tmp_path / "t"))
    assert [r.id for r in restored.records] == ["r3", "r30"]


def test_purge_refuses_when_a_snapshot_cannot_be_read(tmp_path: Path) -> None:
    repo, _ = three_snapshots(tmp_path)
    (repo.root / "snapshots/20250104T030000Z.json").write_text("{}")
    with pytest.raises(RepositoryError, match=r"20250104T030000Z\.json: not a snapshot"):
        purge(repo, datetime(2017, 1, 1, tzinfo=UTC), 7, NOW)
    assert len(snapshot_files(repo)) == 3
