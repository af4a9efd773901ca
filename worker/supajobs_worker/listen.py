"""Listen mode: one long-lived connection waits on LISTEN supajobs_jobs (the dispatch sends a
NOTIFY whenever work becomes due) and wakes the same claim / execute / record loop.

Also polls every idle_poll_seconds, so a notification lost while reconnecting costs latency,
never a job. LISTEN needs a session of its own: SUPAJOBS_LISTEN_URL may name a direct one
while the claims go through a transaction pooler; a URL where LISTEN cannot work is refused
at start (listen_probe).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import psycopg

from supajobs.errors import ConfigurationError
from supajobs_worker.config import WorkerConfig
from supajobs_worker.listen_probe import check_listen_works
from supajobs_worker.registry import REGISTRY, Registry
from supajobs_worker.service import WorkerService

log = logging.getLogger("supajobs_worker.listen")
CHANNEL = "supajobs_jobs"


async def _listen(service: WorkerService, dsn: str, stop: asyncio.Event) -> None:
    runner = service.runner
    async with await psycopg.AsyncConnection.connect(
            dsn, autocommit=True, application_name=f"supajobs worker {runner.worker_id}"[:63]
    ) as conn:
        await conn.execute(f"listen {CHANNEL}")  # a constant identifier, nothing spliced
        runner.wake()  # whatever became due while nobody listened
        while not stop.is_set():
            woke = False
            gen = conn.notifies(timeout=service.config.idle_poll_seconds, stop_after=1)
            async for _ in gen:
                woke = True
            if not stop.is_set():
                if not woke:
                    log.debug("no notification for %s s: polling", service.config.idle_poll_seconds)
                runner.wake()


async def run_listener(config: WorkerConfig, stop: asyncio.Event,
                       registry: Registry = REGISTRY,
                       service: WorkerService | None = None) -> list[int]:
    """Run until stop is set, then shut down gracefully; returns the released job ids."""
    url = config.listen_url or config.database_url
    if not url:
        raise ConfigurationError("listen mode needs a database URL for LISTEN "
                                 "(SUPAJOBS_LISTEN_URL or SUPAJOBS_DATABASE_URL)")
    source = "SUPAJOBS_LISTEN_URL" if config.listen_url else "SUPAJOBS_DATABASE_URL"
    worker = service or WorkerService(config, registry, mode="listen")  # checks the handlers
    try:
        await check_listen_works(url, source)  # before the worker registers itself
    except psycopg.OperationalError as exc:
        raise ConfigurationError(f"listen mode: cannot connect with {source}: {exc}") from exc
    await worker.start()
    listener = asyncio.get_running_loop().create_task(_listen_forever(worker, url, stop))
    try:
        await stop.wait()
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener
    return await worker.stop()


async def _listen_forever(service: WorkerService, dsn: str, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await _listen(service, dsn, stop)
        except psycopg.OperationalError as exc:  # reconnect; jobs in flight keep running
            log.warning("listen connection lost (%s); reconnecting", exc)
            await asyncio.sleep(1.0)
