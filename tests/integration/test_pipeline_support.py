"""Shared by the test_pipeline_* modules (no tests here): a pipeline on the per-test
database (SDK PostgreSQL transport as service_role), a tmp file store, mail builders."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import psycopg
from PIL import Image
from psycopg.rows import dict_row
from pypdf import PdfWriter

from supajobs import AsyncJobsClient
from supajobs_dev.demo.sample_mail import message, write_maildir
from supajobs_dev.demo.sample_receipts import receipt_lines, render_pdf
from supajobs_receipts.mail import ImapSettings
from supajobs_receipts.pipeline import Pipeline, PipelineSettings, register_pipeline
from supajobs_receipts.pipeline.drain import Ran, run_until_idle
from supajobs_worker.registry import Registry
from support.sdk_clients import postgres_client

PDF = "application/pdf"


@dataclass
class Env:
    client: AsyncJobsClient
    registry: Registry
    pipe: Pipeline
    db_url: str

    async def drain(self, *job_types: str) -> list[Ran]:
        return await run_until_idle(self.client, self.registry, job_types=job_types or None)

    def rows(self, query: str, *params: Any) -> list[dict[str, Any]]:
        with psycopg.connect(self.db_url, autocommit=True, row_factory=dict_row) as conn:
            return list(conn.execute(query, params).fetchall())

    def jobs(self) -> list[dict[str, Any]]:
        return self.rows("select id, job_type, status, payload, idempotency_key, result,"
                         " last_error from jobs.jobs order by id")

    def receipts(self) -> list[dict[str, Any]]:
        return self.rows("select * from receipts.receipts order by original_name")


def settings(tmp: Path, *, maildir: Path | None = None,
             imap: ImapSettings | None = None) -> PipelineSettings:
    return PipelineSettings(store_dir=tmp / "store", backup_dir=tmp / "backups",
                            report_dir=tmp / "reports", maildir=maildir, imap=imap)


@asynccontextmanager
async def pipeline_env(db_url: str, config: PipelineSettings) -> AsyncIterator[Env]:
    client = postgres_client(db_url)
    registry = Registry()
    register_pipeline(registry, client, config)
    try:
        yield Env(client, registry, Pipeline.create(client, config), db_url)
    finally:
        await client.aclose()


def pdf_mail(n: int, lines: list[str], filename: str = "receipt.pdf",
             producer: str = "test") -> EmailMessage:
    return mail_with(n, (filename, PDF, render_pdf(lines, producer=producer)))


def mail_with(n: int, *attachments: tuple[str, str, bytes], html: str | None = None
              ) -> EmailMessage:
    return message(n, f"mail {n}", "Shop <shop@example.jp>", datetime(2026, 11, 5, tzinfo=UTC),
                   html=html, attachments=attachments)


def raw(msg: EmailMessage) -> bytes:
    return msg.as_bytes(policy=policy.SMTP)


def maildir_with(tmp: Path, mails: list[EmailMessage]) -> Path:
    return write_maildir(tmp / "Maildir", mails)


def books(day: str = "2026-11-05") -> list[str]:
    return receipt_lines("株式会社技術書房", date.fromisoformat(day),
                         [("技術書 Pythonの本", 3300)], "T1011001008740")


def blank_png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (400, 300), 255).save(out, "PNG")
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
