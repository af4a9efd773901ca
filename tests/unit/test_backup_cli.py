"""`supajobs receipts backups list|verify|purge` and `restore SOURCE --at` through the real
CLI entry (no database: restore runs with --files-only)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from supajobs.cli.main import main
from supajobs_receipts.backup import create_snapshot, object_key
from supajobs_receipts.cli_restore import parse_when
from supajobs_receipts.organize.records import ReceiptRecord
from supajobs_receipts.storage import LocalFileStore
from unit.backup_factory import stocked_store, write_legacy_archive

OLD = datetime(2015, 3, 2, 3, 0, tzinfo=UTC)
RECENT = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[ReceiptRecord]]:
    """A repository with a 2015 snapshot (r1) and a recent one (r2, r3), as SUPAJOBS_BACKUP_DIR."""
    for name in ("SUPAJOBS_BACKUP_KEEP", "SUPAJOBS_BACKUP_BUCKET",
                 "SUPAJOBS_BACKUP_RETENTION_YEARS"):
        monkeypatch.delenv(name, raising=False)
    store, records = stocked_store(tmp_path / "store")
    where = tmp_path / "backups"
    create_snapshot(records[:1], store, LocalFileStore(where), now=OLD)
    create_snapshot(records[1:3], store, LocalFileStore(where), now=RECENT)
    monkeypatch.setenv("SUPAJOBS_BACKUP_DIR", str(where))
    monkeypatch.setenv("SUPAJOBS_STORE_DIR", str(tmp_path / "restored"))
    return where, records


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_snapshot(repo: tuple[Path, list[ReceiptRecord]],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "receipts", "backups", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and [(r["snapshot"], r["receipts"]) for r in rows] == [
        ("snapshots/20150302T030000Z.json", 1), (f"snapshots/{RECENT:%Y%m%dT%H%M%SZ}.json", 2)]
    assert rows[0]["target"] == f"local:{repo[0].resolve()}"
    code, out, _ = run(capsys, "receipts", "backups", "list")
    assert code == 0 and "20150302T030000Z" in out and "RECEIPTS" in out
    (repo[0] / "snapshots/20150302T030000Z.json").write_text("[]")
    code, _, err = run(capsys, "receipts", "backups", "list")
    assert code == 1 and "snapshots/20150302T030000Z.json: not a snapshot" in err
    assert "backups verify` lists every problem" in err


def test_verify_exits_1_and_names_each_problem(repo: tuple[Path, list[ReceiptRecord]],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    where, records = repo
    assert run(capsys, "receipts", "backups", "verify")[0] == 0
    (where / object_key(records[0].sha256)).unlink()
    (where / object_key(records[1].sha256)).write_bytes(b"flipped")
    code, out, _ = run(capsys, "receipts", "backups", "verify")
    assert code == 1
    assert f"{object_key(records[0].sha256)}: missing" in out
    assert f"{object_key(records[1].sha256)}: corrupt" in out
    code, out, _ = run(capsys, "--json", "receipts", "backups", "verify", "--repo", str(where))
    (row,) = json.loads(out)
    assert code == 1 and len(row["problems"]) == 2 and row["snapshots"] == 2


def test_purge_refuses_young_snapshots_and_says_when_nothing_went(
        repo: tuple[Path, list[ReceiptRecord]], capsys: pytest.CaptureFixture[str]) -> None:
    where, records = repo
    code, _, err = run(capsys, "receipts", "backups", "purge", "--before", "2024-01-01")
    assert code == 1 and "refusing to purge before 2024-01-01" in err
    assert "nothing was deleted" in err
    code, out, _ = run(capsys, "receipts", "backups", "purge", "--before", "2010-01-01")
    assert code == 0 and "nothing to purge" in out
    code, out, _ = run(capsys, "receipts", "backups", "purge", "--before", "2016-01-01",
                       "--dry-run")
    assert code == 0 and "dry run: nothing was deleted" in out
    assert (where / object_key(records[0].sha256)).exists()
    code, out, _ = run(capsys, "--json", "receipts", "backups", "purge", "--before", "2016-01-01")
    (row,) = json.loads(out)
    assert row["snapshots"] == ["snapshots/20150302T030000Z.json"] and row["kept"] == 1
    assert not (where / object_key(records[0].sha256)).exists()


def test_keep_is_refused_by_every_backup_command(repo: tuple[Path, list[ReceiptRecord]],
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPAJOBS_BACKUP_KEEP", "8")
    code, _, err = run(capsys, "receipts", "backups", "list")
    assert code == 5 and "SUPAJOBS_BACKUP_KEEP is no longer used" in err


def test_restore_at_a_date_from_a_repository(repo: tuple[Path, list[ReceiptRecord]],
                                             tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    where, records = repo
    code, out, _ = run(capsys, "--json", "receipts", "restore", str(where), "--at", "2020-01-01",
                       "--files-only")
    summary = json.loads(out)
    assert code == 0 and summary["snapshot"] == "snapshots/20150302T030000Z.json"
    assert (summary["receipts"], summary["written"]) == (1, 1)
    assert (tmp_path / "restored" / records[0].stored_path).exists()
    code, _, err = run(capsys, "receipts", "restore", str(where), "--at", "2014-12-31",
                       "--files-only")
    assert code == 1 and "no snapshot at or before 2014-12-31" in err
    assert "nothing was restored" in err
    code, _, err = run(capsys, "receipts", "restore", str(where), "--at", "soon")
    assert code == 2 and "'soon' is not a day (YYYY-MM-DD) or an ISO 8601 time" in err
    code, _, err = run(capsys, "receipts", "restore", str(tmp_path / "nope"))
    assert code == 2 and "no such backup repository or archive" in err


def test_restore_still_takes_an_old_archive(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    store, records = stocked_store(tmp_path / "store")
    archive = write_legacy_archive(records, store, tmp_path / "old", OLD)
    code, out, _ = run(capsys, "--json", "receipts", "restore", str(archive), "--files-only",
                       "--store", str(tmp_path / "s"))
    assert code == 0 and json.loads(out)["written"] == 3


def test_dates_are_days_in_tokyo_or_iso_times() -> None:
    start = parse_when("2024-06-24", end_of_day=False, field="--before")
    end = parse_when("2024-06-24", end_of_day=True, field="--at")
    assert start.isoformat() == "2024-06-24T00:00:00+09:00"
    assert end.isoformat() == "2024-06-24T23:59:59+09:00"
    assert parse_when("2024-06-24T03:00:00Z", end_of_day=True, field="--at") == datetime(
        2024, 6, 24, 3, tzinfo=UTC)
