"""Issue 15's first promise, end to end: two genuine identical purchases and a byte-identical
copy of a third go through the whole pipeline, duplicate clean-up and ten backups (with a
file lost from the store on the way): all three originals are restorable, the look-alikes
are only suggested, and the copy is linked to its original, not lost."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from integration.test_pipeline_support import (
    PDF,
    Env,
    mail_with,
    maildir_with,
    pipeline_env,
    settings,
)
from supajobs_dev.demo.sample_receipts import receipt_lines, render_pdf
from supajobs_receipts.backup import restore
from supajobs_receipts.evidence import check_chain
from supajobs_receipts.pipeline.evidence_api import EvidenceApi
from supajobs_receipts.storage import LocalFileStore, sha256_hex

COFFEE = receipt_lines("カフェ・ベローチェ 神田店", date(2026, 11, 18), [("ブレンド", 250)])
BOOKS = receipt_lines("株式会社技術書房", date(2026, 11, 19), [("技術書", 3300)])


async def run(env: Env, job_type: str) -> dict[str, object]:
    await env.client.enqueue(job_type, {})
    (ran,) = await env.drain(job_type)
    assert ran.ok, ran.error
    return ran.result  # type: ignore[no-any-return]


async def test_nothing_is_lost(db_url: str, tmp_path: Path) -> None:
    morning, afternoon = render_pdf(COFFEE, producer="till 1"), render_pdf(COFFEE, producer="till 2")
    books = render_pdf(BOOKS)
    box = maildir_with(tmp_path, [mail_with(1, ("coffee.pdf", PDF, morning)),
                                  mail_with(2, ("coffee.pdf", PDF, afternoon)),
                                  mail_with(3, ("books.pdf", PDF, books)),
                                  mail_with(4, ("books-resent.pdf", PDF, books))])
    async with pipeline_env(db_url, settings(tmp_path, maildir=box)) as env:
        await env.client.enqueue("email_scan")
        assert all(r.ok for r in await env.drain())
        rows = env.receipts()
        assert sorted(r["original_name"] for r in rows) == ["books.pdf", "coffee.pdf", "coffee.pdf"]

        dedup = await run(env, "duplicate_cleanup")
        assert len(dedup["suggested"]) == 1 and dedup["removed"] == 0  # type: ignore[arg-type]
        assert {r["status"] for r in env.receipts()} == {"filed"}  # nobody decided: untouched

        for n in range(10):
            if n == 5:  # the disk loses a file; the backups still hold its bytes
                (tmp_path / "store" / rows[1]["stored_path"]).unlink()
            await run(env, "backup_create")
            await asyncio.sleep(1.05)  # snapshots are named by the second
        assert len(env.rows("select id from receipts.backups")) == 10

        fresh = LocalFileStore(tmp_path / "restored")
        restored = restore(tmp_path / "backups", fresh)
        kept = {sha256_hex(fresh.get(p)) for p in fresh.list()}
        assert {sha256_hex(b) for b in (morning, afternoon, books)} <= kept
        assert len(restored.records) == 3

        evidence = EvidenceApi(env.client)
        books_row = next(r for r in rows if r["original_name"] == "books.pdf")
        (copy,) = await evidence.copies(str(books_row["id"]))
        assert copy.original_name == "books-resent.pdf" and "byte-identical" in copy.reason
        assert check_chain([h async for h in evidence.iter_history()]) == []
