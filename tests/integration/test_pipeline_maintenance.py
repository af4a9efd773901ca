"""duplicate_cleanup, report_generate and backup_create on receipts the pipeline read."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import respx

from integration.test_pipeline_support import (
    PDF,
    Env,
    books,
    mail_with,
    maildir_with,
    pipeline_env,
    settings,
)
from supajobs_dev.demo.sample_receipts import receipt_lines, render_pdf
from supajobs_receipts.backup import restore, verify_repository
from supajobs_receipts.pipeline.evidence_api import EvidenceApi
from supajobs_receipts.report import parse_freee_csv
from supajobs_receipts.storage import LocalFileStore
from unit.test_storage_supabase import BASE, KEY, FakeBucket


def mails() -> list[EmailMessage]:
    taxi = receipt_lines("株式会社日本交通", date(2026, 11, 20), [("運賃", 1500)])
    old = receipt_lines("株式会社技術書房", date(2026, 10, 1), [("雑誌", 1100)])
    return [mail_with(1, ("books.pdf", PDF, render_pdf(books()))),
            mail_with(2, ("books-again.pdf", PDF, render_pdf(books(), producer="resend"))),
            mail_with(3, ("taxi.pdf", PDF, render_pdf(taxi))),
            mail_with(4, ("october.pdf", PDF, render_pdf(old)))]


async def read_all(env: Env) -> None:
    await env.client.enqueue("email_scan")
    assert all(r.ok for r in await env.drain())


async def run(env: Env, job_type: str, payload: dict[str, Any] | None = None
              ) -> dict[str, Any]:
    await env.client.enqueue(job_type, payload or {})
    (ran,) = await env.drain(job_type)
    assert ran.ok, ran.error
    return ran.result  # type: ignore[no-any-return]


async def test_duplicates_are_suggested_never_removed(db_url: str, tmp_path: Path) -> None:
    async with pipeline_env(db_url, settings(tmp_path, maildir=maildir_with(tmp_path, mails()))
                            ) as env:
        await read_all(env)
        first = await run(env, "duplicate_cleanup")
        rows = {r["original_name"]: r for r in env.receipts()}
        # Both PDFs: the earlier received one would be kept (then the smaller id).
        kept, dup = sorted((rows["books.pdf"], rows["books-again.pdf"]),
                           key=lambda r: (r["received_at"], str(r["id"])))
        assert first["suggested"] == [{"receipt_id": str(dup["id"]),
                                       "duplicate_of": str(kept["id"]), "reason": "likely"}]
        assert first["removed"] == 0
        assert dup["status"] != "duplicate"  # only a person decides
        assert (await run(env, "duplicate_cleanup"))["suggested"] == []  # flagged once
        evidence = EvidenceApi(env.client)
        (pending,) = await evidence.pending_duplicates()
        await evidence.decide_duplicate(pending.suggestion_id, "confirmed", decided_by="yamada")
        confirmed = {r["original_name"]: r for r in env.receipts()}["books-again.pdf"]
        assert (confirmed["status"], confirmed["duplicate_of"]) == ("duplicate", kept["id"])
        for row in env.receipts():  # every file is still where its receipt says
            assert env.pipe.store.exists(row["stored_path"]), row["original_name"]


async def test_monthly_report_csv_round_trips(db_url: str, tmp_path: Path) -> None:
    async with pipeline_env(db_url, settings(tmp_path, maildir=maildir_with(tmp_path, mails()))
                            ) as env:
        await read_all(env)
        await run(env, "duplicate_cleanup")
        unsure = await run(env, "report_generate", {"month": "2026-11"})
        assert unsure["exported"] == 3  # an unconfirmed look-alike is still a purchase
        (pending,) = unsure["pending_duplicates"]
        await EvidenceApi(env.client).decide_duplicate(pending["suggestion_id"], "confirmed",
                                                       decided_by="yamada")
        for encoding in ("utf-8", "cp932"):
            result = await run(env, "report_generate", {"month": "2026-11", "encoding": encoding})
            csv = Path(str(result["csv"]))
            assert csv.name == "freee-2026-11.csv" and result["exported"] == 2
            deals = parse_freee_csv(csv.read_bytes(), encoding=encoding)
            assert sorted((d.partner, d.amount, d.tax_amount) for d in deals) == [
                ("株式会社技術書房", 3300, 300), ("株式会社日本交通", 1500, 136)]
            html = Path(str(result["html"])).read_text(encoding="utf-8")
            assert "株式会社日本交通" in html and result["total_yen"] == 4800


async def test_backup_restores_byte_identical_files(db_url: str, tmp_path: Path) -> None:
    async with pipeline_env(db_url, settings(tmp_path, maildir=maildir_with(tmp_path, mails()))
                            ) as env:
        await read_all(env)
        result = await run(env, "backup_create")
        (target,) = result["targets"]
        assert (target["objects_new"], target["objects_reused"]) == (4, 0)
        assert result["path"] == f"local:{(tmp_path / 'backups').resolve()}/snapshots/" \
                                 f"{result['snapshot']}.json"
        recorded = env.rows("select path, sha256, members from receipts.backups")
        assert [(r["path"], r["sha256"], r["members"]) for r in recorded] == [
            (result["path"], result["sha256"], 4)]
        fresh = LocalFileStore(tmp_path / "restored")
        restored = restore(tmp_path / "backups", fresh)
        assert len(restored.records) == 4
        for key in env.pipe.store.list():
            assert fresh.get(key) == env.pipe.store.get(key)
        assert sorted(fresh.list()) == sorted(env.pipe.store.list())


async def test_backups_are_incremental_and_keep_files_gone_from_the_store(
        db_url: str, tmp_path: Path) -> None:
    async with pipeline_env(db_url, settings(tmp_path, maildir=maildir_with(tmp_path, mails()))
                            ) as env:
        await read_all(env)
        originals = {k: env.pipe.store.get(k) for k in env.pipe.store.list()}
        await run(env, "backup_create")
        for key in list(originals)[:2]:  # files lost from the store after the backup
            env.pipe.store.delete(key)
        await asyncio.sleep(1.1)  # snapshots are named by the second
        again = await run(env, "backup_create")
        assert (again["targets"][0]["objects_new"], again["receipts"]) == (0, 4)
        assert len(env.rows("select id from receipts.backups")) == 2
        fresh = LocalFileStore(tmp_path / "restored")
        restore(tmp_path / "backups", fresh)
        assert {k: fresh.get(k) for k in fresh.list()} == originals
        assert verify_repository(LocalFileStore(tmp_path / "backups")) == []


async def test_backup_goes_to_the_bucket_too_and_keep_is_refused(
        db_url: str, tmp_path: Path) -> None:
    fake = FakeBucket("receipt-backups")
    config = replace(settings(tmp_path, maildir=maildir_with(tmp_path, mails())),
                     backup_bucket=("https://proj.supabase.co", KEY, "receipt-backups"))
    async with pipeline_env(db_url, config) as env:
        await read_all(env)
        with respx.mock(base_url=BASE, assert_all_called=False) as router:
            router.route().mock(side_effect=fake)
            result = await run(env, "backup_create")
        local, bucket = result["targets"]
        assert bucket["path"] == f"supabase:receipt-backups/snapshots/{result['snapshot']}.json"
        assert (local["objects_new"], bucket["objects_new"]) == (4, 4)
        assert local["sha256"] == bucket["sha256"]  # the same snapshot in both places
        paths = [r["path"] for r in env.rows("select path from receipts.backups order by id")]
        assert paths == [local["path"], bucket["path"]]
        assert len([k for k in fake.objects if k.startswith("objects/")]) == 4

        await env.client.enqueue("backup_create", {"keep": 3})
        (refused,) = await env.drain("backup_create")
        assert not refused.ok and "`keep` is gone" in str(refused.error)
