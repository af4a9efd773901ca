"""The relay sends what committed transactions queued, once, and records what happened."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator

import psycopg
import pytest

from integration.test_relay_support import HttpSink, install_standin, running_relay, wait_until
from supajobs_dev.cluster import free_port
from supajobs_dev.relay import RelayConfig

AConn = psycopg.AsyncConnection[tuple[object, ...]]


@pytest.fixture
def net_url(db_url: str) -> str:
    install_standin(db_url)
    return db_url


@pytest.fixture
def sink() -> Iterator[HttpSink]:
    with HttpSink() as server:
        yield server


@pytest.fixture
async def aconn(net_url: str) -> AsyncIterator[AConn]:
    async with await psycopg.AsyncConnection.connect(net_url, autocommit=True) as connection:
        yield connection


async def post(conn: AConn, url: str, body: object, timeout_ms: int = 5000) -> int:
    cur = await conn.execute("select net.http_post(%s, %s::jsonb, timeout_milliseconds => %s)",
                             [url, json.dumps(body), timeout_ms])
    row = await cur.fetchone()
    assert row is not None
    return int(str(row[0]))


async def response(conn: AConn, request_id: int) -> tuple[object, ...] | None:
    cur = await conn.execute(
        "select status_code, content_type, content, timed_out, error_msg, headers->>'X-Sink'"
        " from net._http_response where id = %s", [request_id])
    return await cur.fetchone()


async def recorded(conn: AConn, request_id: int) -> tuple[object, ...]:
    async def present() -> bool:
        return await response(conn, request_id) is not None
    await wait_until(present)
    row = await response(conn, request_id)
    assert row is not None
    return row


async def test_sent_only_after_commit_and_response_recorded(
    net_url: str, aconn: AConn, sink: HttpSink
) -> None:
    async with running_relay(net_url), await psycopg.AsyncConnection.connect(net_url) as tx:
        request_id = await post(tx, sink.url + "/hook", {"text": "領収書 2026-11"})
        await asyncio.sleep(0.3)
        assert sink.snapshot() == []  # queued but not committed: invisible to the relay
        await tx.commit()
        # The fallback poll is 30 s, so arriving now means the NOTIFY woke the relay.
        (got,) = await sink.wait_for(lambda seen: len(seen) == 1, timeout=5)
        row = await recorded(aconn, request_id)
    assert (got.method, got.path, json.loads(got.body)) == ("POST", "/hook",
                                                            {"text": "領収書 2026-11"})
    assert got.headers["Content-Type"] == "application/json"
    assert row == (200, "application/json", '{"ok": true}', False, None, "yes")
    cur = await aconn.execute("select count(*) from net.http_request_queue")
    assert await cur.fetchone() == (0,)


async def test_rolled_back_post_sends_nothing(net_url: str, aconn: AConn, sink: HttpSink) -> None:
    async with running_relay(net_url):
        async with await psycopg.AsyncConnection.connect(net_url) as tx:
            await post(tx, sink.url + "/rolled-back", {})
            await tx.rollback()
        marker = await post(aconn, sink.url + "/marker", {})
        await recorded(aconn, marker)
    assert [r.path for r in sink.snapshot()] == ["/marker"]


async def test_error_status_and_timeout_are_recorded(
    net_url: str, aconn: AConn, sink: HttpSink
) -> None:
    async with running_relay(net_url):
        failing = await post(aconn, sink.url + "/x?status=503", {})
        slow = await post(aconn, sink.url + "/slow", {}, timeout_ms=200)
        assert (await recorded(aconn, failing))[0] == 503
        status, _, content, timed_out, error_msg, _ = await recorded(aconn, slow)
    assert (status, content, timed_out) == (None, None, True)
    assert error_msg == "Timeout of 200 ms reached"


async def test_survives_a_target_that_is_down(net_url: str, aconn: AConn, sink: HttpSink) -> None:
    async with running_relay(net_url) as relay:
        dead = await post(aconn, f"http://127.0.0.1:{free_port()}/nobody", {}, timeout_ms=2000)
        status, _, _, timed_out, error_msg, _ = await recorded(aconn, dead)
        alive = await post(aconn, sink.url + "/after", {})
        assert (await recorded(aconn, alive))[0] == 200
        assert not relay.done()
    assert (status, timed_out) == (None, False)
    assert isinstance(error_msg, str)
    assert "ConnectError" in error_msg


async def test_a_big_transaction_is_delivered_exactly_once(
    net_url: str, aconn: AConn, sink: HttpSink
) -> None:
    config = RelayConfig(batch_size=25, max_concurrency=40, poll_interval_seconds=30.0)
    async with running_relay(net_url, config):
        await aconn.execute("select net.http_post(%s, jsonb_build_object('n', i))"
                            " from generate_series(1, 300) i", [sink.url + "/bulk"])
        seen = await sink.wait_for(lambda got: len(got) >= 300, timeout=30)

        async def all_recorded() -> bool:
            cur = await aconn.execute("select count(*) from net._http_response")
            return await cur.fetchone() == (300,)
        await wait_until(all_recorded, timeout=10)
    assert sorted(json.loads(r.body)["n"] for r in seen) == list(range(1, 301))


async def test_two_relays_never_send_the_same_request(
    net_url: str, aconn: AConn, sink: HttpSink
) -> None:
    config = RelayConfig(batch_size=5, poll_interval_seconds=30.0)
    async with running_relay(net_url, config), running_relay(net_url, config):
        await aconn.execute("select net.http_post(%s, jsonb_build_object('n', i))"
                            " from generate_series(1, 100) i", [sink.url + "/pair"])
        await sink.wait_for(lambda got: len(got) >= 100, timeout=30)
        await asyncio.sleep(0.2)  # room for a wrongful second send to show up
    assert sorted(json.loads(r.body)["n"] for r in sink.snapshot()) == list(range(1, 101))
