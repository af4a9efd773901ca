"""The relay loop: wake on NOTIFY (or a slow poll), claim committed requests, send, record."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable

import httpx
import psycopg
from psycopg import AsyncConnection

from supajobs_dev.relay import faults, store
from supajobs_dev.relay.config import APPLICATION_NAME, RelayConfig
from supajobs_dev.relay.sender import Outcome, QueuedRequest, send

log = logging.getLogger("supajobs_dev.relay")


class RelayError(RuntimeError):
    """The relay cannot run against this database."""


async def run_relay(dsn: str, config: RelayConfig, stop: asyncio.Event) -> None:
    """Relay until stop is set, reconnecting after database errors."""
    while not stop.is_set():
        try:
            await _Session(dsn, config, stop).run()
        except psycopg.errors.UndefinedTable as exc:
            raise RelayError(
                "the database has no net.http_request_queue: install pg_net's stand-in "
                "(supabase/dev/pg_net_standin.sql) first"
            ) from exc
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            log.warning("relay lost the database (%s); reconnecting", exc)
            await _first_of([stop.wait()], config.reconnect_delay_seconds)


async def _first_of(waits: list[Awaitable[object]], timeout: float | None) -> None:
    """Wait until one of waits finishes or timeout passes; cancel only what was made here."""
    futures = [asyncio.ensure_future(w) for w in waits]
    created = [f for f, w in zip(futures, waits, strict=True) if f is not w]
    try:
        await asyncio.wait(futures, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for future in created:
            future.cancel()


class _Session:
    """One set of connections; ends (raising) when the database goes away."""

    def __init__(self, dsn: str, config: RelayConfig, stop: asyncio.Event) -> None:
        self.dsn, self.config, self.stop = dsn, config, stop
        self.wake = asyncio.Event()
        self.inflight: set[asyncio.Task[None]] = set()

    async def _connect(self) -> store.Conn:
        return await AsyncConnection.connect(
            self.dsn, autocommit=True, application_name=APPLICATION_NAME
        )

    async def run(self) -> None:
        limits = httpx.Limits(max_connections=self.config.max_concurrency)
        async with (
            await self._connect() as listen_conn,
            await self._connect() as work_conn,
            httpx.AsyncClient(limits=limits) as client,
        ):
            await store.listen(listen_conn)
            listener = asyncio.create_task(self._listen(listen_conn))
            try:
                await self._loop(work_conn, client, listener)
            finally:
                listener.cancel()
                await self._drain()

    async def _listen(self, conn: store.Conn) -> None:
        async for _ in conn.notifies():
            self.wake.set()

    async def _loop(
        self, conn: store.Conn, client: httpx.AsyncClient, listener: asyncio.Task[None]
    ) -> None:
        loop = asyncio.get_running_loop()
        next_prune = loop.time()
        while not self.stop.is_set():
            if listener.done():
                listener.result()  # re-raise why the LISTEN connection ended
                raise psycopg.OperationalError("LISTEN connection closed")
            if loop.time() >= next_prune:
                await store.prune(conn, self.config.response_ttl_seconds)
                next_prune = loop.time() + self.config.prune_interval_seconds
            free = self.config.max_concurrency - len(self.inflight)
            if free <= 0:
                await asyncio.wait(self.inflight, return_when=asyncio.FIRST_COMPLETED)
                continue
            self.wake.clear()  # before claiming: a NOTIFY during the claim is not missed
            limit = min(self.config.batch_size, free)
            requests = await store.claim(conn, limit)
            for request in requests:
                self._start(self._deliver(conn, client, request))
            if len(requests) < limit:
                await _first_of(
                    [self.wake.wait(), self.stop.wait(), listener],
                    self.config.poll_interval_seconds,
                )

    def _start(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self.inflight.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.inflight.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("relay delivery failed", exc_info=task.exception())

    async def _deliver(
        self, conn: store.Conn, client: httpx.AsyncClient, request: QueuedRequest
    ) -> None:
        decision = faults.decide(self.config, request.id)
        if decision.drop:
            outcome = Outcome(id=request.id, error_msg=faults.DROPPED_MESSAGE)
        else:
            if decision.delay_seconds:
                await asyncio.sleep(decision.delay_seconds)
            outcome = await send(client, request)
            if decision.duplicate:
                await send(client, request)
        await store.record(conn, [outcome])

    async def _drain(self) -> None:
        """Give in-flight sends the grace period, then cancel what is left (pg_net loses those)."""
        if not self.inflight:
            return
        _done, pending = await asyncio.wait(
            set(self.inflight), timeout=self.config.shutdown_grace_seconds
        )
        for task in pending:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*pending, return_exceptions=True)
