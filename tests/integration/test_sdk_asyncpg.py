"""AsyncpgTransport's own failure modes: roles, unreachable servers, killed backends, an
exhausted pool, values of the wrong Python type; and the sync client over it."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import psycopg
import pytest

from supajobs import (
    AsyncJobsClient,
    JobsClient,
    JobStatus,
    NotFoundError,
    TransientError,
    ValidationError,
)
from supajobs.retry import NO_RETRY
from supajobs.transport.asyncpg_driver import AsyncpgTransport
from support.rpc import service_connection
from support.sdk_clients import FAST_RETRY, postgres_client
from support.sdk_scenarios import queued, standard_schedules


def client(db_url: str, **options: Any) -> AsyncJobsClient:
    """No retries: each test sees what one call through the transport does."""
    return AsyncJobsClient(AsyncpgTransport(db_url, role="service_role", **options),
                           retry=NO_RETRY)


@pytest.mark.parametrize("server", ["closed port", "silent", "hangs up"])
async def test_unreachable_server_is_transient_and_quick(server: str) -> None:
    """Refused, never answering (the 2 s connect timeout), or closing at once: the call
    never ran (applied False, so even a non-idempotent call may be retried)."""
    silent = socket.create_server(("127.0.0.1", 0))  # listens, never accepts nor answers
    hangup = await asyncio.start_server(lambda _, writer: writer.close(), "127.0.0.1", 0)
    port = {"closed port": 1, "silent": silent.getsockname()[1],
            "hangs up": hangup.sockets[0].getsockname()[1]}[server]
    down = client(f"postgresql://postgres@127.0.0.1:{port}/postgres?sslmode=disable",
                  connect_timeout=2)
    started = time.monotonic()
    try:
        with pytest.raises(TransientError, match=r"^database connection failed: \S") as err:
            await down.get_job(1)
        assert err.value.applied is False and err.value.code is None  # never ran
        assert time.monotonic() - started < 4
    finally:
        await down.aclose()
        silent.close()
        hangup.close()


def terminate(db_url: str, pid: int) -> None:
    """Kill a backend and wait (without yielding to the event loop) until it is gone."""
    with psycopg.connect(db_url, autocommit=True) as admin:
        assert admin.execute("select pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
        deadline = time.monotonic() + 10
        while admin.execute("select 1 from pg_stat_activity where pid = %s", [pid]).fetchone():
            assert time.monotonic() < deadline, "backend not gone after 10 s"
            time.sleep(0.02)


async def test_killed_backend_unnoticed_fails_one_call_then_reconnects(db_url: str) -> None:
    with service_connection(db_url) as conn:
        job_id = queued(conn)
    fast = client(db_url, max_size=1)
    try:
        assert (await fast.get_job(job_id)).id == job_id
        (victim,) = fast.transport._slots._idle  # type: ignore[attr-defined]
        terminate(db_url, victim.get_server_pid())
        # the event loop has not run since: the dead connection is still idle and handed out
        with pytest.raises(TransientError, match=r"^database connection failed: ") as err:
            await fast.get_job(job_id)
        assert err.value.applied is None and victim.is_closed()
        assert (await fast.get_job(job_id)).id == job_id  # on a new connection
        assert fast.transport._slots._idle[0] is not victim  # type: ignore[attr-defined]
    finally:
        await fast.aclose()


async def test_killed_backend_noticed_while_idle_is_replaced_silently(db_url: str) -> None:
    with service_connection(db_url) as conn:
        job_id = queued(conn)
    fast = client(db_url, max_size=1)
    try:
        await fast.get_job(job_id)
        (victim,) = fast.transport._slots._idle  # type: ignore[attr-defined]
        terminate(db_url, victim.get_server_pid())
        for _ in range(500):  # let the event loop read the server's goodbye
            if victim.is_closed():
                break
            await asyncio.sleep(0.01)
        assert victim.is_closed()
        assert (await fast.get_job(job_id)).id == job_id  # no error at all
    finally:
        await fast.aclose()


async def test_exhausted_pool_is_transient_and_not_applied(db_url: str) -> None:
    fast = client(db_url, max_size=1, pool_timeout=0.2)
    slots = fast.transport._slots  # type: ignore[attr-defined]
    try:
        held = await slots.acquire()
        started = time.monotonic()
        with pytest.raises(TransientError, match=r"no connection free after 0\.2 s") as err:
            await fast.enqueue("email_scan")
        assert err.value.applied is False and time.monotonic() - started < 2
        await slots.release(held)
        assert (await fast.enqueue("email_scan")).status is JobStatus.QUEUED
    finally:
        await fast.aclose()


async def test_wrong_python_type_names_the_argument(db_url: str) -> None:
    fast, direct = client(db_url), postgres_client(db_url)
    try:
        with pytest.raises(ValidationError, match=r"\bjob_id\b") as err:
            await fast.transport.call("get_job", {"job_id": "not-a-number"})
        assert "$1" not in str(err.value)
        with pytest.raises(ValidationError, match=r"\bmax_attempts\b") as err:
            await fast.transport.call("enqueue", {"job_type": "email_scan", "payload": {},
                                                  "max_attempts": "three"})
        assert "$" not in str(err.value)
        with pytest.raises(ValidationError):  # psycopg: the same exception type
            await direct.transport.call("get_job", {"job_id": "not-a-number"})
        assert sum(s.jobs for s in await fast.stats()) == 0  # nothing was enqueued
    finally:
        await fast.aclose()
        await direct.aclose()


def test_sync_client_over_asyncpg(db_url: str) -> None:
    with service_connection(db_url) as conn:
        standard_schedules(conn)
    sync = JobsClient(AsyncpgTransport(db_url, role="service_role"), retry=FAST_RETRY)
    try:
        job = sync.enqueue("email_scan", {"box": "inbox"})
        assert sync.get_job(job.id) == job
        assert sync.cancel(job.id).status is JobStatus.CANCELLED
        assert len(sync.schedules.plan(days=31).fires) >= 31 + 4
        with pytest.raises(NotFoundError, match="job 12345 does not exist"):
            sync.get_job(12345)
    finally:
        sync.close()
