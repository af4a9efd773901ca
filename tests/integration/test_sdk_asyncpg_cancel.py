"""A call whose connection breaks mid-query (the backend terminated, or the call cancelled)
leaves no half-used connection in the pool: the next call gets a working one."""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
import pytest

from supajobs import AsyncJobsClient, TransientError
from supajobs.retry import NO_RETRY
from supajobs.transport.asyncpg_driver import AsyncpgTransport
from support.rpc import service_connection
from support.sdk_scenarios import queued


def blocked_pid(admin: psycopg.Connection[Any]) -> int:
    for _ in range(200):
        row = admin.execute("select pid from pg_stat_activity where wait_event_type = 'Lock'"
                            " and query like '%jobs\".\"cancel%'").fetchone()
        if row:
            return int(row[0])
        admin.execute("select pg_sleep(0.01)")
    raise AssertionError("the cancel() call never waited for the row lock")


@pytest.mark.parametrize("how", ["terminated", "cancelled"])
async def test_broken_call_does_not_poison_the_pool(db_url: str, how: str) -> None:
    with service_connection(db_url) as conn:
        job_id = queued(conn)
    client = AsyncJobsClient(AsyncpgTransport(db_url, role="service_role", max_size=1),
                             retry=NO_RETRY)
    try:
        with service_connection(db_url) as blocker, blocker.transaction(), \
                psycopg.connect(db_url, autocommit=True) as admin:
            blocker.execute("select 1 from jobs.jobs where id = %s for update", [job_id])
            stuck = asyncio.create_task(client.cancel(job_id, reason="test"))
            await asyncio.sleep(0)
            pid = await asyncio.to_thread(blocked_pid, admin)
            if how == "terminated":  # the server says FATAL in the middle of the call
                admin.execute("select pg_terminate_backend(%s)", [pid])
                with pytest.raises(TransientError):
                    await stuck
            else:
                stuck.cancel()
                await asyncio.gather(stuck, return_exceptions=True)
            # at once, before the event loop may notice the socket closing
            job = await client.get_job(job_id)
        # a cancelled call may still have run once the lock was free: like applied=None
        assert job.id == job_id and job.status.value in ("queued", "cancelled")
    finally:
        await client.aclose()
