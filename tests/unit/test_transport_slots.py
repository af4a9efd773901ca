"""ConnectionSlots: idle connections are reused, at most max_size are open, waiting is bounded,
and a connection that closed (or failed to open) never keeps its slot."""

from __future__ import annotations

import asyncio
import time

import pytest

from supajobs.transport.slots import ConnectionSlots, SlotsTimeoutError


class FakeConn:
    def __init__(self, number: int) -> None:
        self.number = number
        self.closed = False
        self.close_calls = 0
        self.terminated = False

    def is_closed(self) -> bool:
        return self.closed

    async def close(self) -> None:
        self.closed = True
        self.close_calls += 1

    def terminate(self) -> None:
        self.closed = True
        self.terminated = True


class Connector:
    """Makes FakeConns; the next `failures` connects raise instead."""

    def __init__(self, failures: int = 0) -> None:
        self.made: list[FakeConn] = []
        self.failures = failures

    async def __call__(self) -> FakeConn:
        await asyncio.sleep(0)  # a real connect suspends
        if self.failures:
            self.failures -= 1
            raise OSError("connection refused")
        self.made.append(FakeConn(len(self.made)))
        return self.made[-1]


def slots(connect: Connector, max_size: int = 2,
          timeout: float = 0.05) -> ConnectionSlots[FakeConn]:
    return ConnectionSlots(connect, max_size=max_size, timeout=timeout)


async def test_idle_connection_is_reused_without_connecting() -> None:
    connect = Connector()
    pool = slots(connect)
    first = await pool.acquire()
    await pool.release(first)
    assert pool.idle == 1
    assert await pool.acquire() is first
    assert pool.idle == 0 and len(connect.made) == 1


async def test_at_most_max_size_then_a_waiter_gets_a_released_connection() -> None:
    connect = Connector()
    pool = slots(connect, max_size=2, timeout=5)
    a, b = await pool.acquire(), await pool.acquire()
    third = asyncio.create_task(pool.acquire())
    await asyncio.sleep(0.01)
    assert not third.done()
    await pool.release(b)
    assert await asyncio.wait_for(third, 1) is b
    assert connect.made == [a, b]  # never a third connect


async def test_waiting_longer_than_the_timeout_raises_naming_the_seconds() -> None:
    connect = Connector()
    pool = slots(connect, max_size=1, timeout=0.05)
    held = await pool.acquire()
    started = time.monotonic()
    with pytest.raises(SlotsTimeoutError, match=r"^no connection free after 0\.05 s$"):
        await pool.acquire()
    assert 0.04 <= time.monotonic() - started < 1
    await pool.release(held)
    assert await pool.acquire() is held  # the timed-out waiter took no slot


async def test_connection_closed_when_released_is_dropped_and_frees_its_slot() -> None:
    connect = Connector()
    pool = slots(connect, max_size=1)
    dead = await pool.acquire()
    dead.closed = True
    await pool.release(dead)
    assert pool.idle == 0 and dead.close_calls == 0
    fresh = await pool.acquire()  # would time out if the slot were still taken
    assert fresh is not dead and connect.made == [dead, fresh]


async def test_discarded_connection_is_terminated_and_frees_its_slot() -> None:
    connect = Connector()
    pool = slots(connect, max_size=1)
    busy = await pool.acquire()
    pool.discard(busy)  # its call failed mid-protocol: state unknown
    assert busy.terminated and pool.idle == 0
    assert await pool.acquire() is not busy


async def test_connection_found_closed_in_idle_is_not_handed_out() -> None:
    connect = Connector()
    pool = slots(connect, max_size=1)
    first = await pool.acquire()
    await pool.release(first)
    first.closed = True  # the server went away while it sat idle
    fresh = await pool.acquire()
    assert fresh is not first and pool.idle == 0 and len(connect.made) == 2


async def test_failed_connect_frees_its_slot() -> None:
    connect = Connector(failures=1)
    pool = slots(connect, max_size=1)
    with pytest.raises(OSError, match="connection refused"):
        await pool.acquire()
    conn = await pool.acquire()  # would time out if the failed connect kept the slot
    assert connect.made == [conn]


async def test_close_closes_idle_now_and_in_use_on_release() -> None:
    connect = Connector()
    pool = slots(connect, max_size=2)
    idle, busy = await pool.acquire(), await pool.acquire()
    await pool.release(idle)
    await pool.close()
    assert idle.closed and pool.idle == 0
    assert not busy.closed  # its user is still running a query
    await pool.release(busy)
    assert busy.close_calls == 1 and pool.idle == 0
    with pytest.raises(RuntimeError, match="closed"):
        await pool.acquire()
    assert len(connect.made) == 2


@pytest.mark.parametrize("max_size", [0, -1])
def test_max_size_below_one_is_refused(max_size: int) -> None:
    with pytest.raises(ValueError, match=f"max_size must be at least 1, got {max_size}"):
        ConnectionSlots(Connector(), max_size=max_size, timeout=1)
