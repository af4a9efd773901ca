"""freee_sync's matching step for real: uploaded receipts matched to the period's deals, a
clear best attached (the deal otherwise unchanged), same-price pairs and missing deals to the
review list — with the card line waiting in 自動で経理 named — and nothing guessed."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from integration.test_freee_sync import CTX, a_receipt
from integration.test_pipeline_support import Env, pipeline_env, settings
from supajobs_receipts.pipeline.freee_sync import FreeeSyncPayload, freee_sync
from support.freee_fake import FakeFreee, deal

DAY = dt.date.today() - dt.timedelta(days=2)


@pytest.fixture
async def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
              ) -> AsyncIterator[Env]:
    monkeypatch.setenv("SUPAJOBS_FREEE_ACCESS_TOKEN", "good-token")
    monkeypatch.setenv("SUPAJOBS_FREEE_COMPANY_ID", "1")
    async with pipeline_env(db_url, settings(tmp_path)) as made:
        yield made


async def test_clear_matches_attach_and_the_rest_wait_for_a_person(env: Env) -> None:
    books = await a_receipt(env, b"%PDF books", total=1980, day=DAY)
    coffee_a = await a_receipt(env, b"%PDF coffee a", total=450, day=DAY)
    coffee_b = await a_receipt(env, b"%PDF coffee b", total=450, day=DAY)
    cash = await a_receipt(env, b"%PDF cash", total=777, day=DAY)
    fake = FakeFreee()
    when = (DAY + dt.timedelta(days=1)).isoformat()
    fake.deals[11] = deal(11, when, 1980, ref_number="R-1")
    fake.deals[12] = deal(12, when, 450)
    fake.deals[13] = deal(13, when, 450)
    fake.wallet_txns = [{"id": 900, "company_id": 1, "date": when, "amount": 777,
                         "due_amount": 777, "balance": 0, "entry_side": "expense",
                         "walletable_type": "credit_card", "walletable_id": 7,
                         "description": "ｷﾞｼﾞﾕﾂｼﾖﾎﾞｳ", "status": 1, "rule_matched": False}]
    before = {k: v for k, v in fake.deals[11].items() if k != "receipts"}
    with fake.mocked():
        summary = await freee_sync(env.pipe, FreeeSyncPayload(), CTX)
        assert fake.calls("GET /api/1/deals") == 1 and fake.calls("GET /api/1/partners") == 1
    assert len(fake.uploaded) == 4  # every receipt is in the File Box, attached or not
    (attached,) = summary["attached"]
    assert attached["receipt_id"] == books and attached["deal_id"] == 11
    assert {k: v for k, v in fake.deals[11].items() if k != "receipts"} == before
    assert [r["id"] for r in fake.deals[11]["receipts"]] == [attached["file_box_id"]]
    assert fake.deals[12]["receipts"] == [] and fake.deals[13]["receipts"] == []
    review = {r["receipt_id"]: r for r in summary["review"]}
    assert {review[coffee_a]["status"], review[coffee_b]["status"]} == {"ambiguous"}
    assert set(review[coffee_a]["candidates"]) == {12, 13}
    assert review[cash]["status"] == "no_match" and "wallet_txn 900" in review[cash]["note"]
    pending = env.rows("select receipt_id::text, status from receipts.freee_pending_matches()")
    assert {p["receipt_id"] for p in pending} == {coffee_a, coffee_b, cash}
    with fake.mocked():  # a second run uploads nothing again and guesses nothing new
        again = await freee_sync(env.pipe, FreeeSyncPayload(), CTX)
    assert len(fake.uploaded) == 4 and again["attached"] == []
