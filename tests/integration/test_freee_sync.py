"""freee_sync against the real receipts schema and the fake freee (requests checked against
freee's OpenAPI): one upload per file whatever fails, throttling through the queue, a
missing grant stops everything, a person's confirmation is attached."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from integration.test_pipeline_support import Env, pipeline_env, settings
from supajobs_receipts.freee import FreeeUnavailableError
from supajobs_receipts.pipeline.freee_sync import FreeeSyncPayload, freee_sync
from supajobs_worker.registry import JobContext, NonRetryableError, RetryLaterError
from support.freee_fake import FakeFreee, deal

CTX = JobContext(job_id=1, job_type="freee_sync", attempt=1, worker_id="test")
ATTACH_ONLY = FreeeSyncPayload(attach_only=True)


@pytest.fixture
def freee_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPAJOBS_FREEE_ACCESS_TOKEN", "good-token")
    monkeypatch.setenv("SUPAJOBS_FREEE_COMPANY_ID", "1")


@pytest.fixture
async def env(db_url: str, tmp_path: Path) -> AsyncIterator[Env]:
    async with pipeline_env(db_url, settings(tmp_path)) as made:
        yield made


async def a_receipt(env: Env, content: bytes = b"%PDF-1.4 receipt", *, total: int = 1980,
                    day: dt.date | None = None) -> str:
    import hashlib
    stored = env.pipe.store.put(content, "r.pdf")
    row = await env.pipe.api.save_document(
        sha256=hashlib.sha256(content).hexdigest(), stored_path=stored.path,
        original_name="領収書.pdf", content_type="application/pdf", source="mail",
        message_id="<m@x>", received_at=None)
    await env.pipe.api.record_reading(str(row.id), {
        "needs_review": False, "source": "pdf_text", "total": total, "vendor": "技術書房",
        "date": (day or dt.date.today()).isoformat(), "invoice_number": "T1234567890123"})
    return str(row.id)


def uploads(env: Env) -> list[dict[str, Any]]:
    return env.rows("select state, attempts, freee_receipt_id from receipts.freee_uploads")


@pytest.mark.usefixtures("freee_env")
async def test_an_upload_retried_after_a_timeout_is_not_uploaded_twice(env: Env) -> None:
    await a_receipt(env)
    fake = FakeFreee()
    fake.fail("POST /api/1/receipts", "timeout_after")  # freee took it; the answer was lost
    with fake.mocked():
        with pytest.raises(FreeeUnavailableError):  # retryable: the queue tries again
            await freee_sync(env.pipe, ATTACH_ONLY, CTX)
        assert uploads(env) == [{"state": "in_flight", "attempts": 1, "freee_receipt_id": None}]
        again = await freee_sync(env.pipe, ATTACH_ONLY, CTX)
        third = await freee_sync(env.pipe, ATTACH_ONLY, CTX)
    assert len(fake.receipts) == 1 and fake.calls("POST /api/1/receipts") == 1
    (only,) = fake.receipts
    assert again["found_uploaded"] == 1 and again["uploaded"] == 0
    assert third["found_uploaded"] == third["uploaded"] == 0
    assert uploads(env) == [{"state": "uploaded", "attempts": 2, "freee_receipt_id": only}]


@pytest.mark.usefixtures("freee_env")
async def test_a_timeout_before_freee_took_it_uploads_on_the_retry(env: Env) -> None:
    await a_receipt(env)
    fake = FakeFreee()
    fake.fail("POST /api/1/receipts", "timeout_before")
    with fake.mocked():
        with pytest.raises(FreeeUnavailableError):
            await freee_sync(env.pipe, ATTACH_ONLY, CTX)
        done = await freee_sync(env.pipe, ATTACH_ONLY, CTX)
    assert done["uploaded"] == 1 and len(fake.receipts) == 1
    assert fake.calls("GET /api/1/receipts") == 1  # looked first, found nothing


@pytest.mark.usefixtures("freee_env")
@pytest.mark.parametrize(("fault", "seconds"), [("throttle403", 600.0), ("429", 42.0)])
async def test_throttling_postpones_the_job_for_the_company_key(env: Env, fault: str,
                                                                seconds: float) -> None:
    await a_receipt(env)
    fake = FakeFreee()
    fake.fail("POST /api/1/receipts", fault)
    with fake.mocked():
        with pytest.raises(RetryLaterError) as caught:
            await freee_sync(env.pipe, ATTACH_ONLY, CTX)
        assert (caught.value.seconds, caught.value.key) == (seconds, None)  # the type pauses
        assert "good-token" not in str(caught.value)
        await freee_sync(env.pipe, ATTACH_ONLY, CTX)
    assert len(fake.receipts) == 1 and uploads(env)[0]["state"] == "uploaded"


async def test_a_missing_grant_is_a_clear_error_and_nothing_is_uploaded(
        env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUPAJOBS_FREEE_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("SUPAJOBS_FREEE_COMPANY_ID", "1")
    await a_receipt(env)
    fake = FakeFreee()
    with fake.mocked(), pytest.raises(NonRetryableError, match="supajobs auth freee"):
        await freee_sync(env.pipe, FreeeSyncPayload(), CTX)
    assert fake.seen == [] and uploads(env) == []


async def test_no_company_is_a_clear_error(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPAJOBS_FREEE_ACCESS_TOKEN", "good-token")
    monkeypatch.delenv("SUPAJOBS_FREEE_COMPANY_ID", raising=False)
    with pytest.raises(NonRetryableError, match="SUPAJOBS_FREEE_COMPANY_ID"):
        await freee_sync(env.pipe, FreeeSyncPayload(), CTX)


@pytest.mark.usefixtures("freee_env")
async def test_a_confirmed_deal_gets_the_file_beside_the_one_it_had(env: Env) -> None:
    receipt = await a_receipt(env)
    fake = FakeFreee()
    fake.deals[42] = deal(42, dt.date.today().isoformat(), 1980, receipts=[3001])
    with fake.mocked():
        await freee_sync(env.pipe, ATTACH_ONLY, CTX)
        with psycopg.connect(env.db_url, autocommit=True) as conn:
            conn.execute("select receipts.freee_record_match(1, %s, 'ambiguous', 0.5, "
                         "'{42,43}')", (receipt,))
            conn.execute("select receipts.freee_decide_match(%s, 'confirm', 'owner', 42)",
                         (receipt,))
        done = await freee_sync(env.pipe, ATTACH_ONLY, CTX)
    (file_box_id,) = fake.receipts
    assert [r["id"] for r in fake.deals[42]["receipts"]] == [3001, file_box_id]
    assert done["attached"] == [{"receipt_id": receipt, "deal_id": 42,
                                 "file_box_id": file_box_id}]
    (match,) = env.rows("select status, deal_id, decided_by from receipts.freee_matches")
    assert match == {"status": "attached", "deal_id": 42, "decided_by": "owner"}
    with fake.mocked():  # settled: a later sync has nothing to do for it
        later = await freee_sync(env.pipe, FreeeSyncPayload(), CTX)
    assert later["receipts"] == 0


@pytest.mark.usefixtures("freee_env")
async def test_a_confirmed_deal_that_is_gone_goes_back_to_the_review_list(env: Env) -> None:
    receipt = await a_receipt(env)
    fake = FakeFreee()
    with fake.mocked():
        await freee_sync(env.pipe, ATTACH_ONLY, CTX)
        with psycopg.connect(env.db_url, autocommit=True) as conn:
            conn.execute("select receipts.freee_record_match(1, %s, 'no_match')", (receipt,))
            conn.execute("select receipts.freee_decide_match(%s, 'confirm', 'owner', 77)",
                         (receipt,))
        done = await freee_sync(env.pipe, ATTACH_ONLY, CTX)
    assert done["review"][0]["status"] == "ambiguous" and "HTTP 404" in done["review"][0]["error"]
    (pending,) = env.rows("select status, last_error from receipts.freee_pending_matches()")
    assert pending["status"] == "ambiguous" and "deal 77" in pending["last_error"]


async def test_through_the_queue_a_missing_grant_is_a_dead_letter_without_secrets(
        env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUPAJOBS_FREEE_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("SUPAJOBS_FREEE_COMPANY_ID", "1")
    await env.client.enqueue("freee_sync")
    ran = await env.drain("freee_sync")
    assert [(r.job.job_type, r.ok) for r in ran] == [("freee_sync", False)]
    (job,) = [j for j in env.jobs() if j["job_type"] == "freee_sync"]
    assert job["status"] == "dead" and "supajobs auth freee" in job["last_error"]
