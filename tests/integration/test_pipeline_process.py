"""receipt_process and file_organize through the real queue: read (PDF text and real
Tesseract), filed under YYYY/MM with its name; unreadable input ends as an outcome."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from integration.test_pipeline_support import (
    PDF,
    blank_png,
    books,
    encrypted_pdf,
    mail_with,
    maildir_with,
    pipeline_env,
    settings,
)
from supajobs_dev.demo.sample_mail import DAMAGED_PDF
from supajobs_dev.demo.sample_receipts import receipt_lines, render_pdf, render_png

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract-ocr")


async def test_receipts_are_read_then_filed_under_year_and_month(
        db_url: str, tmp_path: Path) -> None:
    cafe = receipt_lines("喫茶ひだまり", date(2026, 10, 30), [("ブレンドコーヒー", 550)])
    box = maildir_with(tmp_path, [
        mail_with(1, ("invoice.pdf", PDF, render_pdf(books()))),
        mail_with(2, ("photo.png", "image/png", render_png(cafe)))])
    async with pipeline_env(db_url, settings(tmp_path, maildir=box)) as env:
        await env.client.enqueue("email_scan")
        ran = await env.drain()
        assert [(r.job.job_type, r.ok) for r in ran] == [
            ("email_scan", True), ("receipt_process", True), ("receipt_process", True),
            ("file_organize", True), ("file_organize", True)]
        assert {j["status"] for j in env.jobs()} == {"succeeded"}
        pdf, png = env.receipts()
        assert (pdf["status"], pdf["read_source"], pdf["needs_review"]) == ("filed", "pdf_text",
                                                                           False)
        assert (pdf["receipt_date"], pdf["total"], pdf["tax"], pdf["tax_rate"]) == (
            date(2026, 11, 5), 3300, 300, 10)
        assert pdf["invoice_number"] == "T1011001008740" and pdf["confidence"]["total"] >= 0.9
        assert pdf["stored_path"] == "2026/11/2026-11-05_株式会社技術書房_3300円.pdf"
        # OCR: the total is reliable; the folder follows whatever date was read.
        assert (png["read_source"], png["total"]) == ("ocr", 550)
        day = png["receipt_date"]
        folder = f"{day:%Y/%m}/{day.isoformat()}_" if day else "unknown-date/unknown-date_"
        assert png["stored_path"].startswith(folder) and png["stored_path"].endswith("_550円.png")
        store = env.pipe.store
        assert sorted(store.list()) == sorted([pdf["stored_path"], png["stored_path"]])
        read = next(r for r in ran if r.job.job_type == "receipt_process"
                    and r.result["file"] == "invoice.pdf")
        assert read.result["outcome"] == "read" and read.result["total"] == 3300

        # The daily schedule's empty payload files whatever is left; nothing is.
        await env.client.enqueue("file_organize")
        (again,) = await env.drain()
        assert again.result == {"filed": [], "errors": []}


UNREADABLE = [
    ("damaged.pdf", PDF, DAMAGED_PDF, "corrupt_pdf"),
    ("blank.png", "image/png", blank_png(), "empty_image"),
    ("locked.pdf", PDF, encrypted_pdf(), "encrypted_pdf"),
    ("memo.pdf", PDF, render_pdf(["^社内勉強会のお知らせ", "来週の金曜日に開催します。"]),
     "not_a_receipt"),
]


async def test_unreadable_input_is_a_per_receipt_outcome(db_url: str, tmp_path: Path) -> None:
    mails = [mail_with(n, (name, ctype, data)) for n, (name, ctype, data, _) in
             enumerate(UNREADABLE, 1)]
    async with pipeline_env(db_url, settings(tmp_path, maildir=maildir_with(tmp_path, mails))
                            ) as env:
        await env.client.enqueue("email_scan")
        ran = await env.drain()
        assert all(r.ok for r in ran) and {j["status"] for j in env.jobs()} == {"succeeded"}
        outcomes = {r.result["file"]: r.result for r in ran if r.job.job_type == "receipt_process"}
        for name, _, _, reason in UNREADABLE:
            assert (outcomes[name]["outcome"], outcomes[name]["reason"]) == ("unreadable", reason)
        rows = {r["original_name"]: r for r in env.receipts()}
        for name, _, _, reason in UNREADABLE:
            row = rows[name]
            assert row["status"] == "unreadable" and row["needs_review"]
            assert row["review_reasons"][0].startswith(reason + ":")
            assert row["stored_path"].startswith("inbox/")  # left for a human, not filed
        filed = [r.result for r in ran if r.job.job_type == "file_organize"]
        assert {f["action"] for f in filed} == {"not_filed"}
        assert len(env.pipe.store.list()) == len(UNREADABLE)  # nothing lost


async def test_missing_receipt_or_bad_payload_fail_without_retry(
        db_url: str, tmp_path: Path) -> None:
    async with pipeline_env(db_url, settings(tmp_path)) as env:
        await env.client.enqueue("receipt_process",
                                 {"receipt_id": "00000000-0000-0000-0000-000000000000"})
        await env.client.enqueue("report_generate", {"month": "2026-13"})
        await env.client.enqueue("file_organize", {"receipt_id": "../etc/passwd"})
        ran = {r.job.job_type: r for r in await env.drain()}
        missing, bad = ran["receipt_process"], ran["report_generate"]
        assert ran["file_organize"].final.status == "dead"
        assert "valid UUID" in ran["file_organize"].error
        assert missing.final.status == "dead" and "does not exist" in missing.error
        assert bad.final.status == "dead" and "invalid payload" in bad.error
