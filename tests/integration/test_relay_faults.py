"""Fault injection for chaos tests: drops, duplicates and delays, reproducible with a seed."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Iterator

import psycopg
import pytest

from integration.test_relay_support import HttpSink, install_standin, running_relay
from supajobs_dev.relay import RelayConfig
from supajobs_dev.relay.faults import DROPPED_MESSAGE, NO_FAULT, decide

CHAOS = RelayConfig(drop_rate=0.25, duplicate_rate=0.25, seed=7, poll_interval_seconds=30.0)


def test_decisions_depend_only_on_seed_and_request_id() -> None:
    first = [decide(CHAOS, i) for i in range(1, 400)]
    assert first == [decide(CHAOS, i) for i in range(1, 400)]
    other_seed = RelayConfig(drop_rate=0.25, duplicate_rate=0.25, seed=8)
    assert first != [decide(other_seed, i) for i in range(1, 400)]
    drops = sum(d.drop for d in first)
    dups = sum(d.duplicate for d in first)
    assert 60 < drops < 140  # ~25 %
    assert 50 < dups < 120  # ~25 % of those sent
    assert not any(d.drop and d.duplicate for d in first)


def test_no_rates_means_no_faults() -> None:
    assert {decide(RelayConfig(seed=1), i) for i in range(100)} == {NO_FAULT}


def test_delays_stay_within_the_maximum() -> None:
    config = RelayConfig(delay_rate=1.0, max_delay_ms=300, seed=3)
    delays = [decide(config, i).delay_seconds for i in range(200)]
    assert all(0 <= d <= 0.3 for d in delays)
    assert len(set(delays)) > 150


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"drop_rate": 1.5}, "drop_rate must be between 0 and 1"),
        ({"duplicate_rate": -0.1}, "duplicate_rate must be between 0 and 1"),
        ({"delay_rate": 0.5}, "delay_rate needs max_delay_ms > 0"),
        ({"batch_size": 0}, "batch_size must be at least 1"),
        ({"max_concurrency": 0}, "max_concurrency must be at least 1"),
        ({"poll_interval_seconds": 0}, "poll_interval_seconds must be positive"),
        ({"max_delay_ms": -1}, "max_delay_ms must not be negative"),
    ],
)
def test_bad_config_is_refused_with_a_reason(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RelayConfig(**kwargs)  # type: ignore[arg-type]


@pytest.fixture
def sink() -> Iterator[HttpSink]:
    with HttpSink() as server:
        yield server


async def test_relay_drops_and_duplicates_exactly_as_decided(db_url: str, sink: HttpSink) -> None:
    install_standin(db_url)
    async with await psycopg.AsyncConnection.connect(db_url, autocommit=True) as conn:
        cur = await conn.execute("select n, net.http_post(%s, jsonb_build_object('n', n))"
                                 " from generate_series(1, 60) n", [sink.url + "/chaos"])
        ids = {int(str(n)): int(str(rid)) for n, rid in await cur.fetchall()}
        plan = {n: decide(CHAOS, rid) for n, rid in ids.items()}
        expected = Counter({n: 2 if d.duplicate else 1 for n, d in plan.items() if not d.drop})
        async with running_relay(db_url, CHAOS):
            await sink.wait_for(lambda got: len(got) >= sum(expected.values()), timeout=15)
            await asyncio.sleep(0.2)  # room for an unplanned extra send to show up
        cur = await conn.execute("select id, error_msg from net._http_response order by id")
        recorded = {int(str(rid)): msg for rid, msg in await cur.fetchall()}
    assert Counter(json.loads(r.body)["n"] for r in sink.snapshot()) == expected
    assert 0 < len(expected) < 60
    assert any(v == 2 for v in expected.values())
    assert set(recorded) == set(ids.values())  # one response row per request, even duplicated
    dropped = {ids[n] for n, d in plan.items() if d.drop}
    assert {rid for rid, msg in recorded.items() if msg == DROPPED_MESSAGE} == dropped


async def test_delayed_requests_arrive_late_in_delay_order(db_url: str, sink: HttpSink) -> None:
    install_standin(db_url)
    config = RelayConfig(delay_rate=1.0, max_delay_ms=600, seed=11, poll_interval_seconds=30.0)
    async with await psycopg.AsyncConnection.connect(db_url, autocommit=True) as conn:
        cur = await conn.execute("select n, net.http_post(%s, jsonb_build_object('n', n))"
                                 " from generate_series(1, 6) n", [sink.url + "/late"])
        delays = {int(str(n)): decide(config, int(str(rid))).delay_seconds
                  for n, rid in await cur.fetchall()}
        async with running_relay(db_url, config):
            seen = await sink.wait_for(lambda got: len(got) == 6, timeout=10)
    order = [json.loads(r.body)["n"] for r in seen]
    # Only pairs whose planned delays differ clearly are compared, to stay robust under load.
    for i, early in enumerate(order):
        for late in order[i + 1:]:
            assert delays[early] <= delays[late] + 0.1, (order, delays)
