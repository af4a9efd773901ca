"""Pool breaker: calls piling up for a database connection (one has waited longer than
wait_seconds, or a wait gave up) stop claiming, so no more work competes for the pool; it
resumes once no call has waited that long for calm_seconds."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from supajobs.transport.waits import PoolPressure


class PoolBreaker:
    kind = "db_pool"

    def __init__(self, pressure: Callable[[], PoolPressure], wait_seconds: float = 2.0,
                 calm_seconds: float = 5.0, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if wait_seconds <= 0 or calm_seconds < 0:
            raise ValueError("wait_seconds must be positive and calm_seconds not negative")
        self.wait_seconds, self.calm_seconds = wait_seconds, calm_seconds
        self._pressure, self._clock = pressure, clock
        self._timeouts = pressure().timeouts
        self._calm_since: float | None = None
        self.open, self.last = False, pressure()
        self.reason = ""

    def check(self) -> str | None:
        """'open' or 'close' when the state changes, else None."""
        self.last = p = self._pressure()
        gave_up, self._timeouts = p.timeouts > self._timeouts, p.timeouts
        strained = gave_up or p.oldest_seconds >= self.wait_seconds
        now = self._clock()
        if not self.open:
            if strained:
                self.open, self._calm_since = True, None
                self.reason = (f"database connection pool exhausted: {p.waiting} calls waiting, "
                               f"the longest {p.oldest_seconds:.1f} s"
                               + (", and a wait timed out" if gave_up else "")
                               + "; not claiming until waits recede")
                return "open"
            return None
        if strained:
            self._calm_since = None
            return None
        if self._calm_since is None:
            self._calm_since = now
        if now - self._calm_since >= self.calm_seconds:
            self.open = False
            return "close"
        return None

    def details(self) -> dict[str, Any]:
        return {"waiting": self.last.waiting,
                "oldest_wait_seconds": round(self.last.oldest_seconds, 2),
                "wait_timeouts": self.last.timeouts, "wait_threshold_seconds": self.wait_seconds}
