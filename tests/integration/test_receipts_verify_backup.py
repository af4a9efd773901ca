"""A history rewritten from end to end passes its own chain check, but not the comparison
with the newest backup snapshot, which holds the hashes as they were."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest

from supajobs.cli.main import main
from supajobs_receipts.backup import create_snapshot
from supajobs_receipts.evidence import check_chain, content
from supajobs_receipts.evidence.chain import link_hash
from supajobs_receipts.organize import ReceiptRecord
from supajobs_receipts.storage import LocalFileStore
from support.receipts_sql import history, read, save


def verify(capsys: pytest.CaptureFixture[str], db_url: str, *extra: str) -> tuple[int, Any]:
    code = main(["--json", "--db-url", db_url, "receipts", "verify", "--no-files", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_a_consistent_rewrite_is_caught_by_the_backup(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        db_url: str, conn: psycopg.Connection[Any], svc: psycopg.Connection[Any]) -> None:
    monkeypatch.setenv("SUPAJOBS_DB_ROLE", "service_role")
    store = LocalFileStore(tmp_path / "store")
    for n in range(3):
        stored = store.write(f"inbox/{n}.pdf", f"%PDF {n}".encode())
        row = save(svc, f"{n}")
        assert row["id"]
        read(svc, row["id"], total=100 + n)
    rows = history(svc)
    records = [ReceiptRecord(id=str(r.receipt_id), sha256=stored.sha256, stored_path=stored.path,
                             original_name="x.pdf", content_type="application/pdf",
                             received_at=r.received_at) for r in rows[-1:]]
    create_snapshot(records, store, LocalFileStore(tmp_path / "backups"),
                    history=[r.model_dump(mode="json") for r in rows])
    backups = ["--backups", str(tmp_path / "backups")]
    code, report = verify(capsys, db_url, *backups)
    assert (code, report["backup_snapshot"] is not None) == (0, True)

    # A superuser rewrites version #2 and re-hashes everything after it: the chain holds.
    conn.execute("set session_replication_role = replica")
    conn.execute("update receipts.receipt_versions set total = 1 where seq = 2")
    prev = rows[0].hash
    for row in history(svc)[1:]:
        new_hash = link_hash(prev, content(row.model_copy(update={"prev_hash": prev})))
        conn.execute("update receipts.receipt_versions set prev_hash = %s, hash = %s "
                     "where seq = %s", [prev, new_hash, row.seq])
        prev = new_hash
    assert check_chain(history(svc)) == []
    code, report = verify(capsys, db_url, *backups)
    assert code == 1
    assert any("history #2" in p and "rewritten after that backup" in p
               for p in report["problems"])
    assert verify(capsys, db_url, "--no-backups")[0] == 1  # the view still disagrees
