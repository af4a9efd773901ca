"""The procrastinate app and its no-op task; also its worker when run as a script.

Usage: BENCH_PROCRASTINATE_DSN=... procrastinate_app.py CONCURRENCY  (importers set it first)
"""

from __future__ import annotations

import asyncio
import os
import sys

from _latency import record
from procrastinate import App, PsycopgConnector

DSN_ENV = "BENCH_PROCRASTINATE_DSN"

app = App(connector=PsycopgConnector(conninfo=os.environ.get(DSN_ENV, "")))


@app.task(name="bench_noop")
async def bench_noop(n: int | None = None, t: float | None = None) -> None:
    if t is not None:
        record(t)


async def main(concurrency: int) -> None:
    async with app.open_async():
        # listen_notify (default) wakes it; signal handlers (default) stop it on SIGTERM.
        await app.run_worker_async(concurrency=concurrency, wait=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
