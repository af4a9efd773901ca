"""A pgqueuer worker as its README shows it: PgQueuer over one connection, one entrypoint.

Usage: pgqueuer_worker.py DSN BATCH_SIZE DRIVER   (DRIVER: asyncpg | psycopg)
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys

from _latency import record
from pgqueuer import PgQueuer
from pgqueuer.models import Job


async def build(dsn: str, driver: str) -> PgQueuer:
    if driver == "asyncpg":
        import asyncpg  # type: ignore[import-untyped]  # no stubs published

        return PgQueuer.from_asyncpg_connection(await asyncpg.connect(dsn))
    import psycopg

    conn = await psycopg.AsyncConnection.connect(dsn, autocommit=True)
    return PgQueuer.from_psycopg_connection(conn)


async def main(dsn: str, batch_size: int, driver: str) -> None:
    pgq = await build(dsn, driver)

    @pgq.entrypoint("bench_noop")
    async def noop(job: Job) -> None:
        if job.payload is not None and b'"t"' in job.payload:
            record(float(json.loads(job.payload)["t"]))

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, pgq.shutdown.set)
    await pgq.run(batch_size=batch_size)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
