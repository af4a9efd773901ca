"""The evidence commands through the real CLI entry: search, show, correct, delete,
duplicates, verify and export, against a real database and store directory."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import psycopg
import pytest

from supajobs.cli.main import main
from supajobs_receipts.storage import LocalFileStore
from support.receipts_sql import call, read


@pytest.fixture
def store(tmp_path: Path) -> LocalFileStore:
    return LocalFileStore(tmp_path / "store")


@pytest.fixture
def receipts(svc: psycopg.Connection[Any], store: LocalFileStore) -> list[dict[str, Any]]:
    made = []
    for n, (day, total, vendor) in enumerate([("2026-03-02", 880, "カフェ 駅前店"),
                                              ("2026-03-02", 880, "カフェ 駅前店"),
                                              ("2026-03-15", 12400, "ＪＲ東日本"),
                                              ("2026-04-01", 3300, "株式会社技術書房")]):
        stored = store.put(f"%PDF receipt {n}".encode(), f"r{n}.pdf")
        row = call(svc, "save_document", sha256=stored.sha256, stored_path=stored.path,
                   original_name=f"r{n}.pdf", content_type="application/pdf",
                   message_id=f"<{n}@x>")[0]
        made.append(read(svc, row["id"], date=day, total=total, vendor=vendor))
    return made


def run(capsys: pytest.CaptureFixture[str], db_url: str, *argv: str) -> tuple[int, Any]:
    code = main(["--json", "--db-url", db_url, "receipts", *argv])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


@pytest.fixture(autouse=True)
def as_service_role(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPAJOBS_DB_ROLE", "service_role")
    monkeypatch.setenv("SUPAJOBS_ACTOR", "tester")


def test_search_combines_keys(capsys: pytest.CaptureFixture[str], db_url: str,
                              receipts: list[dict[str, Any]]) -> None:
    code, found = run(capsys, db_url, "search", "--from", "2026-03-01", "--to", "2026-03-31",
                      "--min", "800", "--max", "900", "--vendor", "ｶﾌｪ")
    assert code == 0 and sorted(r["id"] for r in found) == sorted(
        str(r["id"]) for r in receipts[:2])
    code, found = run(capsys, db_url, "search", "--vendor", "jr東")
    assert [r["total"] for r in found] == [12400]


@pytest.mark.parametrize(("argv", "message"), [
    (["search", "--from", "2026-04-01", "--to", "2026-03-01"], "is after date_to"),
    (["search", "--min", "-5"], "must not be negative"),
])
def test_bad_searches_are_refused(capsys: pytest.CaptureFixture[str], db_url: str,
                                  argv: list[str], message: str) -> None:
    assert main(["--db-url", db_url, "receipts", *argv]) != 0
    assert message in capsys.readouterr().err


def test_a_date_that_is_not_one_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["receipts", "search", "--from", "2026-02-30"])
    assert stop.value.code == 2 and "'2026-02-30' is not a date" in capsys.readouterr().err


def test_correct_delete_and_show_keep_every_version(
        capsys: pytest.CaptureFixture[str], db_url: str, receipts: list[dict[str, Any]]) -> None:
    rid = str(receipts[2]["id"])
    code, fixed = run(capsys, db_url, "correct", rid, "--total", "12040", "--reason",
                      "misread 12400")
    assert code == 0 and (fixed["total"], fixed["version"]) == (12040, 3)
    code, gone = run(capsys, db_url, "delete", rid, "--by", "yamada", "--reason", "private")
    assert gone["status"] == "deleted"
    code, shown = run(capsys, db_url, "show", rid)
    assert [(v["version"], v["changed_by"]) for v in shown["history"]] == [
        (1, "system:mail"), (2, "system:receipt_process"), (3, "tester"), (4, "yamada")]
    assert main(["--db-url", db_url, "receipts", "correct", rid, "--reason", "x"]) != 0
    assert "say what to correct" in capsys.readouterr().err


def test_duplicates_are_listed_and_decided(capsys: pytest.CaptureFixture[str], db_url: str,
                                           svc: psycopg.Connection[Any],
                                           receipts: list[dict[str, Any]]) -> None:
    call(svc, "suggest_duplicate", receipt_id=receipts[1]["id"],
         duplicate_of=receipts[0]["id"], reason="likely")
    code, pending = run(capsys, db_url, "duplicates")
    assert code == 0 and [p["receipt_id"] for p in pending] == [str(receipts[1]["id"])]
    code, made = run(capsys, db_url, "duplicates", "reject", str(pending[0]["suggestion_id"]),
                     "--note", "two coffees")
    assert (code, made["decision"], made["decided_by"]) == (0, "rejected", "tester")
    assert run(capsys, db_url, "duplicates")[1] == []
    assert main(["--db-url", db_url, "receipts", "duplicates", "confirm",
                 str(pending[0]["suggestion_id"])]) != 0
    assert "already decided" in capsys.readouterr().err


def test_verify_finds_tampered_rows_and_files(
        capsys: pytest.CaptureFixture[str], db_url: str, conn: psycopg.Connection[Any],
        store: LocalFileStore, receipts: list[dict[str, Any]]) -> None:
    code, report = run(capsys, db_url, "verify", "--store", str(store.root), "--no-backups")
    assert (code, report["ok"], report["versions"], report["files"]) == (0, True, 8, 4)
    (store.root / receipts[0]["stored_path"]).write_bytes(b"%PDF forged")
    (store.root / receipts[3]["stored_path"]).unlink()
    conn.execute("set session_replication_role = replica")
    conn.execute("update receipts.receipt_versions set vendor = 'someone else' where seq = 4")
    code, report = run(capsys, db_url, "verify", "--store", str(store.root), "--no-backups")
    assert code == 1 and not report["ok"]
    text = "\n".join(report["problems"])
    assert "history #4" in text and "does not match its hash" in text
    assert f"receipt {receipts[1]['id']}: differs from its version 2 in vendor" in text
    assert "does not match its sha256" in text and "is missing" in text


def test_export_holds_the_period_and_checks_it(
        capsys: pytest.CaptureFixture[str], db_url: str, store: LocalFileStore,
        tmp_path: Path, receipts: list[dict[str, Any]]) -> None:
    out = tmp_path / "march.zip"
    code, summary = run(capsys, db_url, "export", "--from", "2026-03-01", "--to", "2026-03-31",
                        str(out), "--store", str(store.root))
    assert (code, summary["receipts"], summary["checked"]) == (0, 3, True)
    with zipfile.ZipFile(out) as zf:
        names = sorted(n for n in zf.namelist() if n.startswith("files/"))
        index = zf.read("index.csv").decode("utf-8-sig")
    assert names == ["files/20260302_カフェ-駅前店_880.pdf", "files/20260302_カフェ-駅前店_880_2.pdf",
                     "files/20260315_JR東日本_12400.pdf"]
    assert index.count("\r\n") == 4 and "12400" in index
    assert run(capsys, db_url, "check-export", str(out), "--store", str(store.root))[0] == 0
    assert main(["--db-url", db_url, "receipts", "export", "--from", "2026-03-01", "--to",
                 "2026-03-31", str(out)]) != 0
    assert "already exists" in capsys.readouterr().err
    assert main(["--db-url", db_url, "receipts", "export", "--from", "2025-01-01", "--to",
                 "2025-01-31", str(tmp_path / "empty.zip")]) != 0
    assert "nothing was written" in capsys.readouterr().err
    assert not (tmp_path / "empty.zip").exists()


def test_check_export_finds_a_changed_member(capsys: pytest.CaptureFixture[str], db_url: str,
                                             store: LocalFileStore, tmp_path: Path,
                                             receipts: list[dict[str, Any]]) -> None:
    out = tmp_path / "all.zip"
    assert run(capsys, db_url, "export", "--from", "2026-01-01", "--to", "2026-12-31",
               str(out), "--store", str(store.root))[0] == 0
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(forged, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, b"%PDF forged" if name.endswith("12400.pdf") else data)
    code, result = run(capsys, db_url, "check-export", str(forged), "--store", str(store.root))
    assert code == 1 and any("does not match its sha256" in p for p in result["problems"])
