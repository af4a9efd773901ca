"""`supajobs receipts parse` and `supajobs receipts restore` through the real CLI entry
(restore of a backup repository; an old archive that is damaged restores nothing)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import psycopg
import pytest
from psycopg.rows import dict_row

from conftest import scratch_database
from integration.test_pipeline_support import (
    PDF,
    books,
    mail_with,
    maildir_with,
    pipeline_env,
    settings,
)
from supajobs.cli.main import main
from supajobs_dev.cluster import Cluster
from supajobs_dev.demo.sample_mail import DAMAGED_PDF
from supajobs_dev.demo.sample_receipts import render_pdf


def test_parse_prints_fields_as_json_and_flags_unreadable(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "books.pdf").write_bytes(render_pdf(books()))
    (folder / "broken.pdf").write_bytes(DAMAGED_PDF)
    (folder / "notes.txt").write_text("ignored: not a receipt type")
    assert main(["receipts", "parse", str(folder), "--json"]) == 1
    good, bad = json.loads(capsys.readouterr().out)
    assert {k: good[k] for k in ("date", "total", "tax", "vendor", "invoice_number",
                                 "needs_review")} == {
        "date": "2026-11-05", "total": 3300, "tax": 300, "vendor": "株式会社技術書房",
        "invoice_number": "T1011001008740", "needs_review": False}
    assert good["file"].endswith("books.pdf") and set(good["confidence"]) == {
        "date", "total", "tax", "vendor", "invoice_number"}
    assert bad["needs_review"] and bad["reason"] == "corrupt_pdf" and bad["total"] is None

    assert main(["receipts", "parse", str(folder / "books.pdf")]) == 0
    table = capsys.readouterr().out
    assert "3300 (0.90)" in table and "株式会社技術書房" in table


def test_parse_of_a_missing_path_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["receipts", "parse", str(tmp_path / "nope.pdf")]) == 2
    assert "nope.pdf: no such file or directory" in capsys.readouterr().err


async def test_restore_writes_files_and_records_back(
        db_url: str, cluster: Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    box = maildir_with(tmp_path, [mail_with(1, ("books.pdf", PDF, render_pdf(books())))])
    async with pipeline_env(db_url, settings(tmp_path, maildir=box)) as env:
        await env.client.enqueue("email_scan")
        await env.drain()
        await env.client.enqueue("backup_create")
        await env.drain()
        before = env.receipts()[0]
    # The database was lost: restore into a new one.
    with scratch_database(cluster) as new_db:
        monkeypatch.setenv("SUPAJOBS_DB_ROLE", "service_role")
        target = tmp_path / "new-store"
        argv = ["--json", "--db-url", new_db, "receipts", "restore", str(tmp_path / "backups"),
                "--store", str(target)]
        assert await _in_thread(argv) == 0
        summary = json.loads(capsys.readouterr().out)
        assert (summary["written"], summary["receipts_added"]) == (1, 1)
        assert summary["snapshot"].startswith("snapshots/")
        assert (target / before["stored_path"]).read_bytes() == (
            tmp_path / "store" / before["stored_path"]).read_bytes()
        with psycopg.connect(new_db) as conn, conn.cursor(row_factory=dict_row) as cur:
            (after,) = cur.execute("select * from receipts.receipts").fetchall()
        assert {k: after[k] for k in ("sha256", "stored_path", "status", "total", "vendor")} == {
            k: before[k] for k in ("sha256", "stored_path", "status", "total", "vendor")}

    broken = tmp_path / "receipts-backup-20261101T000000Z.tar.gz"
    broken.write_bytes(b"\x1f\x8b not really gzip")
    assert main(["receipts", "restore", str(broken), "--files-only",
                 "--store", str(tmp_path / "s2")]) == 1
    assert "is corrupt" in capsys.readouterr().err
    assert list((tmp_path / "s2").iterdir()) == []  # nothing written


async def _in_thread(argv: list[str]) -> int:
    """main() runs its own event loop (asyncio.run), so not on the test's loop."""
    return await asyncio.to_thread(main, argv)
