"""Listen mode and poolers: through a transaction pooler LISTEN hears nothing, so listen mode
refuses at start with what to do; through a session pooler or a direct connection it works;
with SUPAJOBS_LISTEN_URL the LISTEN goes direct while the claims stay on the pooler."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from e2e.worker_harness import ENV
from supajobs.errors import ConfigurationError
from supajobs_dev.cluster import Cluster
from supajobs_worker.config import WorkerConfig
from supajobs_worker.listen import run_listener
from supajobs_worker.listen_probe import PROBE_SECONDS, check_listen_works
from supajobs_worker.registry import Registry
from support.pgbouncer import Pgbouncer, destroy_pgbouncer, start_pgbouncer


@pytest.fixture(scope="module")
def session_pooler(cluster: Cluster) -> Iterator[Pgbouncer]:
    bouncer = start_pgbouncer(cluster, mode="session")
    try:
        yield bouncer
    finally:
        destroy_pgbouncer(bouncer)


def config(**kw: Any) -> WorkerConfig:
    return WorkerConfig(db_prepare=False, idle_poll_seconds=60, lease_seconds=30, **kw)


def registry_counting(done: list[int]) -> Registry:
    registry = Registry()
    registry.handler("email_scan")(lambda payload, ctx: done.append(ctx.job_id))
    return registry


def workers(db_url: str) -> int:
    with psycopg.connect(db_url) as conn:
        return int(conn.execute("select count(*) from jobs.workers").fetchone()[0])  # type: ignore[index]


async def test_direct_and_session_pooled_urls_pass(db_url: str, session_pooler: Pgbouncer) -> None:
    started = time.monotonic()
    await check_listen_works(db_url, "SUPAJOBS_DATABASE_URL")
    await check_listen_works(session_pooler.pooled(db_url), "SUPAJOBS_DATABASE_URL")
    assert time.monotonic() - started < 2  # heard at once, not after the probe's wait


async def test_a_transaction_pooler_is_refused_with_the_fix(pooled_db_url: str) -> None:
    started = time.monotonic()
    with pytest.raises(ConfigurationError) as caught:
        await check_listen_works(pooled_db_url, "SUPAJOBS_DATABASE_URL")
    assert time.monotonic() - started < PROBE_SECONDS + 2
    message = str(caught.value)
    for needed in ("SUPAJOBS_DATABASE_URL", "transaction-mode pooler", "SUPAJOBS_LISTEN_URL",
                   "5432", "supajobs-worker serve"):
        assert needed in message
    assert "127.0.0.1" not in message  # the URL (it may hold a password) is not repeated


async def test_listen_mode_fails_before_registering(db_url: str, pooled_db_url: str) -> None:
    with pytest.raises(ConfigurationError, match="SUPAJOBS_DATABASE_URL never reached"):
        await run_listener(config(database_url=pooled_db_url), asyncio.Event(),
                           registry_counting([]))
    assert workers(db_url) == 0
    with pytest.raises(ConfigurationError, match="SUPAJOBS_LISTEN_URL never reached"):
        await run_listener(config(database_url=db_url, listen_url=pooled_db_url),
                           asyncio.Event(), registry_counting([]))


async def test_a_direct_listen_url_beside_a_pooled_database_url(db_url: str,
                                                                pooled_db_url: str) -> None:
    done: list[int] = []
    stop = asyncio.Event()
    cfg = config(database_url=pooled_db_url, listen_url=db_url, worker_id="lw")
    task = asyncio.get_running_loop().create_task(run_listener(cfg, stop, registry_counting(done)))
    try:
        while workers(db_url) == 0:  # registered: listening from now on
            assert not task.done(), task.exception()
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        with psycopg.connect(db_url, autocommit=True) as conn:
            job_id = conn.execute("select id from jobs.enqueue(job_type => 'email_scan',"
                                  " payload => '{}')").fetchone()[0]  # type: ignore[index]
        started = time.monotonic()
        while not done:  # polling is 60 s away: only the notification can wake it this fast
            await asyncio.sleep(0.02)
            assert time.monotonic() - started < 10
        assert done == [job_id]
    finally:
        stop.set()
        await task


def test_the_command_exits_with_the_message(pooled_db_url: str) -> None:
    env = {k: v for k, v in ENV.items() if not k.startswith(("SUPAJOBS_", "SUPABASE_"))}
    result = subprocess.run(
        [sys.executable, "-m", "supajobs_worker.main", "listen", "--database-url", pooled_db_url,
         "--import", "e2e.worker_handlers"],
        env={**env, "SUPAJOBS_DB_PREPARE": "off"}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "transaction-mode pooler" in result.stderr and "--listen-url" in result.stderr
