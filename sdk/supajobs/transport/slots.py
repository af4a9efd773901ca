"""ConnectionSlots: the smallest pool that does the job for the asyncpg transport.

asyncpg's own Pool resets every connection on release (a round trip that also undoes `set
role`) and keeps a holder and futures per acquire; for one short RPC per acquire that was a
third of the client's time (docs/decisions.md, "asyncpg driver"). Here an idle connection is
handed out without suspending, at most `max_size` are open, and a connection that closed
under its user is dropped instead of being handed out again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, Protocol, TypeVar

from supajobs.transport.waits import PoolWaits


class Closable(Protocol):
    def is_closed(self) -> bool: ...

    async def close(self) -> None: ...

    def terminate(self) -> None: ...


C = TypeVar("C", bound=Closable)


class SlotsTimeoutError(Exception):
    """No connection became free within the timeout."""


class ConnectionSlots(Generic[C]):
    def __init__(self, connect: Callable[[], Awaitable[C]], *, max_size: int,
                 timeout: float) -> None:
        if max_size < 1:
            raise ValueError(f"max_size must be at least 1, got {max_size}")
        self._connect = connect
        self._free = asyncio.Semaphore(max_size)
        self._timeout = timeout
        self._idle: list[C] = []
        self._closed = False
        self.waits = PoolWaits()

    async def acquire(self) -> C:
        if self._closed:
            raise RuntimeError("the connection pool is closed")
        if self._free.locked():  # all in use: wait (bounded) for one to come back
            try:
                with self.waits.waiting():
                    async with asyncio.timeout(self._timeout):
                        await self._free.acquire()
            except TimeoutError:
                self.waits.timeouts += 1
                raise SlotsTimeoutError(
                    f"no connection free after {self._timeout:g} s") from None
        else:
            await self._free.acquire()  # returns at once: a slot is free
        try:
            while self._idle:
                conn = self._idle.pop()
                if not conn.is_closed():
                    return conn
            return await self._connect()
        except BaseException:
            self._free.release()
            raise

    async def release(self, conn: C) -> None:
        try:
            if not conn.is_closed():
                if not self._closed:
                    self._idle.append(conn)
                    return
                await conn.close()  # the pool closed while this one was in use
        finally:
            self._free.release()

    def discard(self, conn: C) -> None:
        """A connection whose state is unknown (its call failed mid-protocol): closed at
        once, without a goodbye, and its slot freed."""
        try:
            conn.terminate()
        finally:
            self._free.release()

    @property
    def idle(self) -> int:
        return len(self._idle)

    async def close(self) -> None:
        """Close the idle connections; ones in use are closed when released (see release)."""
        self._closed = True
        idle, self._idle = self._idle, []
        for conn in idle:
            await conn.close()
