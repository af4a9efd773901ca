"""email_scan with the Gmail source against the real database, Gmail mocked (checked against
gmail.v1.json): stored once, jobs enqueued, labelled, checkpoint after; renewal mid-scan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from integration.test_pipeline_support import books, pdf_mail, pipeline_env, raw, settings
from supajobs_receipts.credentials import GrantMissingError
from supajobs_receipts.mail import GmailSettings
from supajobs_receipts.pipeline import PipelineSettings
from supajobs_receipts.pipeline.google_settings import GoogleSettings
from support.gmail_fake import FakeGmail, mocked_gmail
from support.google_contract import google_error
from support.google_tokens import CountingTokens, NoGrant

ADDRESS = "freelancer@gmail.com"


@pytest.fixture
def gmail() -> Iterator[FakeGmail]:
    fake = FakeGmail(ADDRESS)
    with mocked_gmail(fake):
        yield fake


def gmail_settings(tmp: Path, tokens: object) -> PipelineSettings:
    base = settings(tmp)
    google = GoogleSettings(gmail=GmailSettings(address=ADDRESS),
                            tokens=lambda: tokens)  # type: ignore[arg-type,return-value]
    return PipelineSettings(store_dir=base.store_dir, backup_dir=base.backup_dir,
                            report_dir=base.report_dir, google=google)


async def test_gmail_scan_end_to_end_with_a_token_expiring_mid_scan(
        db_url: str, tmp_path: Path, gmail: FakeGmail) -> None:
    first = gmail.add(raw(pdf_mail(1, books())))
    second = gmail.add(raw(pdf_mail(2, books("2026-11-06"), producer="other")))
    tokens = CountingTokens()
    gmail.valid_tokens = {tokens.current}

    def expire() -> object:
        gmail.valid_tokens = {"ya29.secret-token-2"}
        return google_error(401, "Request had invalid authentication credentials.", "authError")

    gmail.fail("messages.get", lambda: None, expire)  # type: ignore[arg-type,return-value]
    async with pipeline_env(db_url, gmail_settings(tmp_path, tokens)) as env:
        await env.client.enqueue("email_scan")
        (ran,) = await env.drain("email_scan")
        assert ran.ok, ran.error
        assert ran.result["mailbox"] == f"gmail:{ADDRESS}" and ran.result["messages"] == 2
        assert ran.result["labelled"] == 2 and tokens.rejections == ["ya29.secret-token-1"]
        receipts = env.receipts()
        assert len(receipts) == 2 and {r["source"] for r in receipts} == {"gmail"}
        assert [j["job_type"] for j in env.jobs()[1:]] == ["receipt_process", "file_organize"] * 2
        assert gmail.label_of(first)[-1] == gmail.label_of(second)[-1] == "supajobs/processed"
        (point,) = env.rows("select checkpoint from receipts.mail_checkpoints")
        assert point["checkpoint"]["full_scan_done"] is True
        assert point["checkpoint"]["history_id"] == str(gmail.history_id)
        assert "secret-token" not in str(env.jobs())

        third = gmail.add(raw(pdf_mail(3, books("2026-11-07"), producer="third")))
        gmail.mails[third].internal_ms = 4_000_000_000_000  # newer than the last sync
        await env.client.enqueue("email_scan")
        (again,) = await env.drain("email_scan")
        assert again.result["messages"] == 1 and len(env.receipts()) == 3
        assert gmail.counts["gmail.users.history.list"] == 1


async def test_labelling_failure_keeps_the_checkpoint_and_loses_nothing(
        db_url: str, tmp_path: Path, gmail: FakeGmail) -> None:
    gmail.add(raw(pdf_mail(1, books())))
    gmail.fail("messages.batchModify",
               lambda: google_error(403, "Insufficient Permission", "insufficientPermissions"))
    async with pipeline_env(db_url, gmail_settings(tmp_path, CountingTokens())) as env:
        await env.client.enqueue("email_scan")
        (ran,) = await env.drain("email_scan")
        assert not ran.ok and "Insufficient Permission" in ran.error
        assert env.rows("select * from receipts.mail_checkpoints") == []
        assert len(env.receipts()) == 1  # stored and enqueued; the next scan labels it


async def test_missing_grant_is_a_dead_letter_that_says_what_to_run(
        db_url: str, tmp_path: Path, gmail: FakeGmail) -> None:
    config = gmail_settings(tmp_path, NoGrant(GrantMissingError("google")))
    async with pipeline_env(db_url, config) as env:
        await env.client.enqueue("email_scan")
        (ran,) = await env.drain("email_scan")
        assert ran.final.status == "dead" and "supajobs auth google" in ran.error
        assert env.rows("select * from receipts.mail_checkpoints") == []
