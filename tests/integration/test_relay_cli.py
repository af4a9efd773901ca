"""`supajobs relay` as a real process, its argument errors, and surviving lost connections."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import psycopg
import pytest

from integration.test_relay_support import HttpSink, install_standin, running_relay
from supajobs_dev.relay import RelayConfig, RelayError, main, run_relay


@pytest.fixture
def sink() -> Iterator[HttpSink]:
    with HttpSink() as server:
        yield server


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "--db-url is required"),
        (["--db-url", "postgresql://x", "--drop-rate", "2"], "drop_rate must be between 0 and 1"),
        (["--db-url", "postgresql://x", "--batch-size", "0"], "batch_size must be at least 1"),
        (["--db-url", "postgresql://x", "--delay-rate", "0.5"], "needs max_delay_ms"),
    ],
)
def test_bad_arguments_exit_2_naming_the_problem(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SUPAJOBS_DB_URL", raising=False)
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


async def test_process_relays_and_stops_cleanly_on_sigterm(db_url: str, sink: HttpSink) -> None:
    install_standin(db_url)
    relay = subprocess.Popen(
        [sys.executable, "-m", "supajobs_dev.relay", "--db-url", db_url, "--poll-interval", "30"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        async with await psycopg.AsyncConnection.connect(db_url, autocommit=True) as conn:
            for _ in range(500):  # until its connections show up, as pg_net's worker would
                try:
                    await conn.execute("select net.check_worker_is_up()")
                    break
                except psycopg.errors.RaiseException:
                    await asyncio.sleep(0.02)
            await conn.execute("select net.http_post(%s, '{\"from\": \"cli\"}')",
                               [sink.url + "/cli"])
            (got,) = await sink.wait_for(lambda seen: len(seen) == 1)
        assert json.loads(got.body) == {"from": "cli"}
    finally:
        relay.send_signal(signal.SIGTERM)
        output, _ = relay.communicate(timeout=15)
    assert relay.returncode == 0, output


async def test_relay_reconnects_after_its_connections_are_killed(
    db_url: str, sink: HttpSink
) -> None:
    install_standin(db_url)
    config = RelayConfig(poll_interval_seconds=30.0, reconnect_delay_seconds=0.05)
    async with running_relay(db_url, config) as relay, await psycopg.AsyncConnection.connect(
        db_url, autocommit=True
    ) as conn:
        await conn.execute("select net.http_post(%s)", [sink.url + "/before"])
        await sink.wait_for(lambda seen: len(seen) == 1)
        cur = await conn.execute(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity"
            " where datname = current_database() and application_name = 'supajobs pg_net relay'")
        assert await cur.fetchone() == (2,)
        await conn.execute("select net.http_post(%s)", [sink.url + "/after"])
        seen = await sink.wait_for(lambda got: len(got) == 2)
        assert not relay.done()
    assert [r.path for r in seen] == ["/before", "/after"]


async def test_a_database_without_the_stand_in_is_a_clear_error(db_url: str) -> None:
    with pytest.raises(RelayError, match="install pg_net's stand-in"):
        await asyncio.wait_for(run_relay(db_url, RelayConfig(), asyncio.Event()), 10)


def test_the_command_exits_1_without_the_stand_in(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert main(["--db-url", db_url]) == 1
    assert "install pg_net's stand-in" in caplog.text
