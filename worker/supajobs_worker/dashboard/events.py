"""The live view as server-sent events: GET api/events streams the overview every interval.

One SnapshotFeed is shared by every open page, so the database is read at most once per
interval however many people watch. A stream ends after `stream_seconds`; the browser's
EventSource reconnects by itself (after the `retry` we send), which re-checks the session
cookie, so a signed-out or expired session stops receiving data within that time.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from supajobs_worker.dashboard.auth import Principal

Snapshot = dict[str, Any]
Clock = Callable[[], float]


class SnapshotFeed:
    def __init__(self, read: Callable[[], Awaitable[Snapshot]], max_age: float,
                 clock: Clock = time.monotonic) -> None:
        self._read = read
        self._max_age = max_age
        self._clock = clock
        self._lock = asyncio.Lock()
        self._value: Snapshot | None = None
        self._read_at = -math.inf
        self._generation = 0  # bumped by invalidate, even while a read is under way

    async def latest(self) -> Snapshot:
        """The last snapshot if younger than max_age, else a new one (one read at a time:
        pages asking together share it)."""
        async with self._lock:
            if self._value is None or self._clock() - self._read_at >= self._max_age:
                generation = self._generation
                self._value = await self._read()
                fresh = generation == self._generation  # no action landed during the read
                self._read_at = self._clock() if fresh else -math.inf
            return self._value

    def invalidate(self) -> None:
        """After an action (requeue, purge, reset): the next event shows its effect."""
        self._read_at = -math.inf
        self._generation += 1


def event(name: str, data: Any, event_id: int) -> str:
    """One SSE message. json.dumps escapes newlines inside strings, so `data` is one line."""
    return f"event: {name}\nid: {event_id}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


async def overview_events(feed: SnapshotFeed, interval: float, stream_seconds: float,
                          clock: Clock = time.monotonic) -> AsyncIterator[str]:
    yield f"retry: {int(interval * 1000)}\n\n"
    started = clock()
    sent = 0
    while True:
        sent += 1
        yield event("overview", await feed.latest(), sent)
        if clock() - started + interval > stream_seconds:
            return  # the browser reconnects; see the module's docstring
        await asyncio.sleep(interval)


def events_endpoint(feed: SnapshotFeed, interval: float, stream_seconds: float
                    ) -> Callable[[Request, Principal], Awaitable[Response]]:
    async def stream(request: Request, principal: Principal) -> Response:
        # no-store for privacy; X-Accel-Buffering: no so nginx-style proxies pass each
        # event on at once instead of buffering the stream.
        return StreamingResponse(
            overview_events(feed, interval, stream_seconds), media_type="text/event-stream",
            headers={"cache-control": "no-store", "x-accel-buffering": "no"})
    return stream
