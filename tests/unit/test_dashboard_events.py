"""The dashboard's live view: the shared snapshot feed, the SSE messages, the stream's end
(so the browser reconnects and the session is checked again), and GET /api/events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from supajobs_worker.dashboard import build_dashboard_app
from supajobs_worker.dashboard.events import SnapshotFeed, event, overview_events

from .dashboard_fakes import NOW, FakeTransport, fake_client

TOKEN = "test-dashboard-token-0123456789"
BEARER = {"authorization": f"Bearer {TOKEN}"}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Reader:
    def __init__(self, during: object = None) -> None:
        self.reads = 0
        self.during = during  # called inside each read (e.g. an action landing meanwhile)

    async def __call__(self) -> dict[str, int]:
        self.reads += 1
        await asyncio.sleep(0.01)
        if callable(self.during):
            self.during()
        return {"n": self.reads}


async def test_the_feed_shares_one_read_until_it_is_older_than_max_age() -> None:
    clock, read = Clock(), Reader()
    feed = SnapshotFeed(read, max_age=1.0, clock=clock)
    first, second = await asyncio.gather(feed.latest(), feed.latest())
    assert first == second == {"n": 1} and read.reads == 1, "pages asking together share it"
    clock.now += 0.5
    assert await feed.latest() == {"n": 1}
    clock.now += 0.5
    assert await feed.latest() == {"n": 2}


async def test_an_action_makes_the_next_snapshot_fresh_even_during_a_read() -> None:
    clock = Clock()
    feed: SnapshotFeed
    read = Reader(during=lambda: feed.invalidate())
    feed = SnapshotFeed(read, max_age=60.0, clock=clock)
    await feed.latest()
    await feed.latest()
    assert read.reads == 2, "a read an action overtook is not reused"
    read.during = None
    await feed.latest()
    await feed.latest()
    assert read.reads == 3
    feed.invalidate()
    await feed.latest()
    assert read.reads == 4


def test_an_event_is_one_data_line_whatever_the_text_holds() -> None:
    text = event("overview", {"error": "line one\nline two\r\n"}, 7)
    assert text.endswith("\n\n")
    lines = text[:-2].split("\n")
    assert lines[:2] == ["event: overview", "id: 7"]
    assert len(lines) == 3 and lines[2].startswith("data: ")
    assert json.loads(lines[2][6:]) == {"error": "line one\nline two\r\n"}


async def test_a_stream_sends_the_retry_then_snapshots_and_ends_after_stream_seconds() -> None:
    clock, read = Clock(), Reader()
    feed = SnapshotFeed(read, max_age=0.0, clock=clock)

    def ticking() -> float:
        clock.now += 0.1  # each look at the clock: 0.1 s later
        return clock.now

    sent = [m async for m in overview_events(feed, interval=0.01, stream_seconds=0.25,
                                             clock=ticking)]
    assert sent[0] == "retry: 10\n\n"
    assert [m.split("\n")[1] for m in sent[1:]] == ["id: 1", "id: 2", "id: 3"]


@pytest.fixture
def fake() -> FakeTransport:
    return FakeTransport()


@pytest.fixture
def http(fake: FakeTransport) -> Iterator[TestClient]:
    app = build_dashboard_app(lambda: fake_client(fake), TOKEN, poll_seconds=0.2,
                              stream_seconds=0.5)
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
        yield client


def events_of(body: str) -> list[dict[str, object]]:
    return [json.loads(line[6:]) for line in body.split("\n") if line.startswith("data: ")]


def test_events_stream_the_overview_with_running_jobs(http: TestClient) -> None:
    with http.stream("GET", "/api/events", headers=BEARER) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
        body = response.read().decode()
    assert body.startswith("retry: 200\n\n")
    snapshots = events_of(body)
    assert 2 <= len(snapshots) <= 4, "one snapshot per interval, then the stream ends"
    assert snapshots[0]["running"] == [
        {"id": 21, "job_type": "receipt_process", "attempt": 2, "worker_id": "w1",
         "started_at": NOW, "fraction": 0.4, "progress": "40 % (4/10) page 4",
         "updated_at": NOW},
        {"id": 22, "job_type": "backup_create", "attempt": 1, "worker_id": "w1",
         "started_at": NOW, "fraction": None, "progress": "not reported", "updated_at": None}]


def test_events_refuse_without_credentials(http: TestClient, fake: FakeTransport) -> None:
    assert http.get("/api/events").status_code == 401
    assert http.get("/api/events", headers={"authorization": "Bearer wrong"}).status_code == 401
    assert fake.calls == [], "nothing reached the database"


def test_pages_share_snapshots_and_an_action_shows_in_the_next_event(
        fake: FakeTransport) -> None:
    app = build_dashboard_app(lambda: fake_client(fake), TOKEN, poll_seconds=5,
                              stream_seconds=5)  # one event per stream

    def one_stream(client: TestClient) -> None:
        with client.stream("GET", "/api/events", headers=BEARER) as response:
            assert len(events_of(response.read().decode())) == 1

    def stats_reads() -> int:
        return sum(1 for fn, _ in fake.calls if fn == "queue_stats")

    with TestClient(app, base_url="http://testserver") as client:
        one_stream(client)
        one_stream(client)
        assert stats_reads() == 1, "a second page within the interval shares the snapshot"
        assert client.post("/api/dead-letters/9/requeue", headers=BEARER).status_code == 200
        one_stream(client)
        assert stats_reads() == 2, "the requeue made the shared snapshot stale"


@pytest.mark.parametrize(("poll", "stream"), [(5.0, 1.0), (1.0, 4000.0)])
def test_bad_stream_seconds_are_named(fake: FakeTransport, poll: float, stream: float) -> None:
    with pytest.raises(ValueError, match="stream_seconds must be from poll_seconds to 3600"):
        build_dashboard_app(lambda: fake_client(fake), TOKEN, poll_seconds=poll,
                            stream_seconds=stream)
