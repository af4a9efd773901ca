"""The whole chain with nobody watching: two listen workers, Gmail and freee mocked (each
request checked against Google's discovery document and freee's OpenAPI), both grants only in
the database. Google's access token dies in the middle of the scan and freee rotates its
refresh token on every use; at the end every receipt is in the File Box once and attached to
its deal or waiting on the review list."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
import respx

from integration.test_pipeline_support import books, pdf_mail, raw
from supajobs.client import AsyncJobsClient
from supajobs.transport.postgres import PostgresTransport
from supajobs_dev.demo.sample_receipts import receipt_lines
from supajobs_receipts.mail import GmailSettings
from supajobs_receipts.pipeline import PipelineSettings, register_pipeline
from supajobs_receipts.pipeline.google_settings import GoogleSettings
from supajobs_receipts.pipeline.grant_rows import NewTokens
from supajobs_receipts.pipeline.grant_store import GrantStore
from supajobs_worker.config import WorkerConfig
from supajobs_worker.listen import run_listener
from supajobs_worker.registry import Registry
from support.freee_contract import checked
from support.freee_fake import FakeFreee, deal
from support.gmail_fake import BASE, FakeGmail, dispatch
from support.google_contract import google_error
from support.oauth_contract import check_refresh_request, token_response

ADDRESS = "freelancer@gmail.com"
GOOGLE_TOKEN, FREEE_TOKEN = ("https://oauth2.googleapis.com/token",
                             "https://accounts.secure.freee.co.jp/public_api/token")


class Rotating:
    """freee's token endpoint: a new access and refresh token on every use; a refresh token
    sent twice is refused (invalid_grant), as freee does."""

    def __init__(self, first_refresh: str) -> None:
        self.current, self.used, self.issued = first_refresh, [], 0

    def answer(self, request: httpx.Request) -> httpx.Response:
        sent = check_refresh_request(request, "freee-client")
        self.used.append(sent)
        if sent != self.current:
            return httpx.Response(400, json={"error": "invalid_grant"})
        self.issued += 1
        self.current = f"freee-refresh-{self.issued}"
        return token_response(f"freee-access-{self.issued}", refresh=self.current)


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for provider in ("GOOGLE", "FREEE"):
        monkeypatch.setenv(f"SUPAJOBS_{provider}_CLIENT_ID", f"{provider.lower()}-client")
        monkeypatch.setenv(f"SUPAJOBS_{provider}_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("SUPAJOBS_FREEE_SYNC", "on")
    monkeypatch.delenv("SUPAJOBS_FREEE_ACCESS_TOKEN", raising=False)


@pytest.fixture
def fakes() -> Iterator[tuple[FakeGmail, FakeFreee, Rotating, list[str]]]:
    gmail, freee, rotating, google_refreshes = FakeGmail(ADDRESS), FakeFreee(), Rotating(
        "freee-refresh-0"), []
    gmail.valid_tokens = {"ya29.stale"}
    freee.valid_tokens = set()  # the stored freee access token has expired already

    def google(request: httpx.Request) -> httpx.Response:
        google_refreshes.append(check_refresh_request(request, "google-client"))
        gmail.valid_tokens = {"ya29.renewed"}
        return token_response("ya29.renewed")

    def freee_token(request: httpx.Request) -> httpx.Response:
        response = rotating.answer(request)
        freee.valid_tokens = {f"freee-access-{rotating.issued}"}
        return response

    with respx.mock(assert_all_called=False) as router:
        router.post(GOOGLE_TOKEN).mock(side_effect=google)
        router.post(FREEE_TOKEN).mock(side_effect=freee_token)
        router.route(url__startswith=BASE).mock(
            side_effect=dispatch(gmail.discovery, gmail.handlers()))
        router.route(host="api.freee.co.jp").mock(side_effect=checked(freee._answer, freee.seen))
        yield gmail, freee, rotating, google_refreshes


async def grants(client: AsyncJobsClient) -> None:
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    store = GrantStore(client)
    await store.store("google", ADDRESS, NewTokens(access_token="ya29.stale", expires_at=soon,
                                                   refresh_token="google-refresh"))
    await store.store("freee", "owner@example.jp", NewTokens(
        access_token="freee-access-0", expires_at=soon, refresh_token="freee-refresh-0"),
        extra={"company_id": 1})


async def until_quiet(db_url: str, timeout: float = 180) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        with psycopg.connect(db_url, autocommit=True) as conn:
            (busy,) = conn.execute("select count(*) from jobs.jobs where status in "
                                   "('waiting', 'queued', 'running')").fetchone() or (0,)
        if busy == 0:
            return
        await asyncio.sleep(0.5)
    raise AssertionError("the chain did not finish")


@pytest.mark.usefixtures("secrets")
async def test_the_chain_runs_unattended_through_expiry_and_rotation(
        db_url: str, tmp_path: Path, fakes: tuple[FakeGmail, FakeFreee, Rotating, list[str]]
) -> None:
    gmail, freee, rotating, google_refreshes = fakes
    lunch = receipt_lines("松屋フーズ", dt.date(2026, 11, 6), [("牛めし", 480)])
    cash = receipt_lines("喫茶ルノアール", dt.date(2026, 11, 7), [("ブレンド", 777)])
    for n, lines in enumerate([books(), lunch, cash], start=1):
        gmail.add(raw(pdf_mail(n, lines, producer=f"shop{n}")))
    gmail.fail("messages.get", lambda: None, lambda: google_error(  # type: ignore[arg-type]
        401, "Request had invalid authentication credentials.", "authError"))
    freee.deals[11] = deal(11, "2026-11-06", 3300)
    freee.deals[12] = deal(12, "2026-11-06", 480)
    freee.deals[13] = deal(13, "2026-11-07", 480)
    settings = PipelineSettings(store_dir=tmp_path / "store", backup_dir=tmp_path / "b",
                                report_dir=tmp_path / "r",
                                google=GoogleSettings(gmail=GmailSettings(address=ADDRESS)))
    clients = [AsyncJobsClient(PostgresTransport(db_url, role="service_role")) for _ in "ab"]
    stop, workers = asyncio.Event(), []
    try:
        await grants(clients[0])
        for n, client in enumerate(clients):
            registry = Registry()
            register_pipeline(registry, client, settings)
            config = WorkerConfig(database_url=db_url, db_role="service_role",
                                  worker_id=f"worker-{n}", concurrency=4, idle_poll_seconds=0.5)
            workers.append(asyncio.create_task(run_listener(config, stop, registry)))
        await clients[0].enqueue("email_scan")
        await until_quiet(db_url)
    finally:
        stop.set()
        await asyncio.gather(*workers)
        for client in clients:
            await client.aclose()
    with psycopg.connect(db_url, autocommit=True) as conn:
        states = dict(conn.execute("select status::text, count(*) from jobs.jobs group by 1"))
        pending = {r for (r,) in conn.execute(
            "select status from receipts.freee_pending_matches()")}
    assert states == {"succeeded": sum(states.values())}, states
    assert google_refreshes == ["google-refresh"]  # once, mid-scan, for both workers
    assert rotating.used == ["freee-refresh-0"] and rotating.current == "freee-refresh-1"
    # one upload refused with the expired token, refreshed, sent again: three files, once each
    assert freee.tokens.count("freee-access-0") == 1
    assert len(freee.uploaded) == 3 and len(set(freee.uploaded.values())) == 3
    attached = {d: [r["id"] for r in freee.deals[d]["receipts"]] for d in (11, 12, 13)}
    assert len(attached[11]) == 1 and attached[12] == attached[13] == []
    assert pending == {"ambiguous", "no_match"}
