"""email_scan against a real Dovecot and the real database: found once, stored once,
one receipt_process + dependent file_organize per file, checkpoint only after enqueueing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from integration.test_pipeline_support import (
    PDF,
    books,
    mail_with,
    maildir_with,
    pdf_mail,
    pipeline_env,
    raw,
    settings,
)
from supajobs.errors import ConfigurationError
from supajobs_dev.demo.sample_mail import NEWSLETTER
from supajobs_dev.demo.sample_receipts import render_pdf
from supajobs_receipts.mail import ImapSettings
from supajobs_receipts.pipeline import JOB_TYPES, PipelineSettings
from support.dovecot import DovecotServer, MailAccount, running_dovecot


@pytest.fixture(scope="module")
def dovecot() -> Iterator[DovecotServer]:
    with running_dovecot() as server:
        yield server


@pytest.fixture
def mail_account(dovecot: DovecotServer) -> MailAccount:
    return dovecot.add_account()


def imap(server: DovecotServer, account: MailAccount) -> ImapSettings:
    return ImapSettings(host=server.host, port=server.port, security="none",
                        username=account.user, password=SecretStr(account.password))


async def test_new_mail_is_scanned_once_and_enqueues_read_then_file(
        db_url: str, tmp_path: Path, dovecot: DovecotServer, mail_account: MailAccount) -> None:
    same = render_pdf(books(), producer="same")
    dovecot.append(mail_account, raw(mail_with(1, ("a.pdf", PDF, same))))
    dovecot.append(mail_account, raw(mail_with(2, ("again.pdf", PDF, same),
                                               ("b.pdf", PDF, render_pdf(books("2026-11-06"))))))
    dovecot.append(mail_account, raw(mail_with(3, html=NEWSLETTER)))
    async with pipeline_env(db_url, settings(tmp_path, imap=imap(dovecot, mail_account))) as env:
        await env.client.enqueue("email_scan")
        (ran,) = await env.drain("email_scan")
        result = ran.result
        assert result["messages"] == 3 and result["documents"] == 3
        receipts = env.receipts()
        assert [r["original_name"] for r in receipts] == ["a.pdf", "b.pdf"]  # same bytes: one
        assert {r["status"] for r in receipts} == {"stored"}
        assert sorted(env.pipe.store.list()) == sorted(r["stored_path"] for r in receipts)
        jobs = env.jobs()[1:]
        assert [j["job_type"] for j in jobs] == ["receipt_process", "file_organize"] * 2
        first = next(r for r in receipts if r["original_name"] == "a.pdf")
        read, organize = jobs[0], jobs[1]
        assert read["payload"] == {"receipt_id": str(first["id"])} == organize["payload"]
        assert read["idempotency_key"] == f"<demo-1@supajobs.invalid>:{first['sha256']}"
        assert organize["idempotency_key"] == "organize:" + read["idempotency_key"]
        assert (read["status"], organize["status"]) == ("queued", "waiting")
        deps = env.rows("select job_id, depends_on_id from jobs.job_dependencies order by 1")
        assert [(d["job_id"], d["depends_on_id"]) for d in deps] == [
            (jobs[1]["id"], jobs[0]["id"]), (jobs[3]["id"], jobs[2]["id"])]
        checkpoint = env.rows("select checkpoint from receipts.mail_checkpoints")
        assert checkpoint[0]["checkpoint"]["last_uid"] == 3

        # A second scan fetches nothing and enqueues nothing.
        before = len(env.jobs())
        await env.client.enqueue("email_scan")
        (again,) = await env.drain("email_scan")
        assert again.result["messages"] == 0 and len(env.jobs()) == before + 1


async def test_rescan_after_checkpoint_loss_enqueues_nothing_new(
        db_url: str, tmp_path: Path, dovecot: DovecotServer, mail_account: MailAccount) -> None:
    dovecot.append(mail_account, raw(pdf_mail(1, books())))
    async with pipeline_env(db_url, settings(tmp_path, imap=imap(dovecot, mail_account))) as env:
        await env.client.enqueue("email_scan")
        await env.drain("email_scan")
        env.rows("delete from receipts.mail_checkpoints returning mailbox")  # as after a crash
        count = len(env.jobs())
        await env.client.enqueue("email_scan")
        (again,) = await env.drain("email_scan")
        assert again.result["messages"] == 1
        # Stored once, the same receipt, and its jobs exist already under the same keys.
        assert len(env.receipts()) == 1 and len(env.pipe.store.list()) == 1
        assert len(env.jobs()) == count + 1


async def test_mailbox_without_receipts_and_skipped_parts(
        db_url: str, tmp_path: Path, dovecot: DovecotServer, mail_account: MailAccount) -> None:
    dovecot.append(mail_account, raw(mail_with(1, html=NEWSLETTER)))
    dovecot.append(mail_account, raw(mail_with(2, ("fake.pdf", PDF, b"MZ not a pdf at all"))))
    async with pipeline_env(db_url, settings(tmp_path, imap=imap(dovecot, mail_account))) as env:
        await env.client.enqueue("email_scan")
        (ran,) = await env.drain("email_scan")
        assert ran.ok and ran.result["documents"] == 0 and ran.result["jobs"] == []
        (skipped,) = ran.result["skipped"]
        assert skipped["filename"] == "fake.pdf" and "not a PDF" in skipped["reason"]
        assert env.receipts() == [] and [j["job_type"] for j in env.jobs()] == ["email_scan"]


async def test_wrong_password_is_a_non_retryable_failure(
        db_url: str, tmp_path: Path, dovecot: DovecotServer, mail_account: MailAccount) -> None:
    wrong = imap(dovecot, mail_account).model_copy(update={"password": SecretStr("nope")})
    async with pipeline_env(db_url, settings(tmp_path, imap=wrong)) as env:
        await env.client.enqueue("email_scan")
        (ran,) = await env.drain("email_scan")
        assert not ran.ok and ran.final.status == "dead"
        assert "NonRetryableError" in ran.error and mail_account.user in ran.error
        assert env.rows("select * from receipts.mail_checkpoints") == []


async def test_maildir_scan(db_url: str, tmp_path: Path) -> None:
    box = maildir_with(tmp_path, [pdf_mail(1, books())])
    async with pipeline_env(db_url, settings(tmp_path, maildir=box)) as env:
        await env.client.enqueue("email_scan")
        (ran,) = await env.drain("email_scan")
        assert ran.result["mailbox"] == f"maildir:{box.resolve()}"
        assert len(ran.result["receipts"]) == 1
        await env.client.enqueue("email_scan")
        (again,) = await env.drain("email_scan")
        assert again.result["messages"] == 0


def test_no_mailbox_configured_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="SUPAJOBS_MAILDIR"):
        settings(tmp_path).mail_source()


def test_settings_from_env_and_the_import_hook(tmp_path: Path) -> None:
    env = {"SUPAJOBS_IMAP_HOST": "imap.gmail.com", "SUPAJOBS_IMAP_USER": "me@gmail.com",
           "SUPAJOBS_IMAP_OAUTH_TOKEN": "ya29.token", "SUPAJOBS_STORE_DIR": str(tmp_path),
           "SUPAJOBS_BACKUP_RETENTION_YEARS": "10"}
    config = PipelineSettings.from_env(env)
    assert config.imap is not None and config.imap.effective_port == 993
    assert config.mailbox_key == "imap:me@gmail.com@imap.gmail.com:993/INBOX"
    assert (config.store_dir, config.backup_retention_years) == (tmp_path, 10)
    with pytest.raises(ConfigurationError, match="exactly one of password, oauth2_token or oauth_provider"):
        PipelineSettings.from_env({**env, "SUPAJOBS_IMAP_PASSWORD": "pw"})
    with pytest.raises(ConfigurationError, match="SUPAJOBS_IMAP_PORT must be a number"):
        PipelineSettings.from_env({**env, "SUPAJOBS_IMAP_PORT": "x"})
    with pytest.raises(ConfigurationError, match="not both"):
        PipelineSettings.from_env({**env, "SUPAJOBS_MAILDIR": str(tmp_path)})

    import supajobs_receipts.pipeline.jobs  # noqa: F401  (registers on the global REGISTRY)
    from supajobs_worker.registry import REGISTRY

    for job_type in JOB_TYPES:
        handler = REGISTRY.get(job_type)
        assert handler is not None and handler.fn.__name__ == job_type
