"""PoolWaits: who is waiting for a connection of a client's pool, and since when.

The worker's pool breaker reads it (supajobs_worker/breakers/pool.py): waits that pile up
mean the pool is exhausted. Only waits are tracked, so a connection handed out at once costs
nothing here.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType


@dataclass(frozen=True)
class PoolPressure:
    waiting: int           # callers waiting for a connection now
    oldest_seconds: float  # how long the longest of them has waited (0 when none)
    timeouts: int          # waits that gave up since the transport started


class PoolWaits:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started: dict[int, float] = {}
        self._ids = itertools.count()
        self.timeouts = 0  # counted by the transport when a wait gives up

    def waiting(self) -> _Wait:
        return _Wait(self)

    def pressure(self) -> PoolPressure:
        now = self._clock()
        oldest = max((now - t for t in self._started.values()), default=0.0)
        return PoolPressure(len(self._started), oldest, self.timeouts)


class _Wait:
    __slots__ = ("_id", "_waits")

    def __init__(self, waits: PoolWaits) -> None:
        self._waits, self._id = waits, next(waits._ids)

    def __enter__(self) -> None:
        self._waits._started[self._id] = self._waits._clock()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        del self._waits._started[self._id]
