"""CPU breaker: the machine's CPU above the threshold for the whole window stops claiming;
it resumes once CPU falls below the (lower) resume level, so it does not flap at the edge."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import psutil


def machine_cpu_percent() -> float:
    """All cores, averaged since the previous call (psutil keeps the last reading)."""
    return float(psutil.cpu_percent(interval=None))


class CpuBreaker:
    kind = "cpu"

    def __init__(self, threshold: float = 90.0, window_seconds: float = 300.0,
                 resume_below: float = 80.0, *,
                 sampler: Callable[[], float] = machine_cpu_percent,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not 0 <= resume_below < threshold <= 100:
            raise ValueError("need 0 <= resume_below < threshold <= 100, got "
                             f"{resume_below} and {threshold}")
        self.threshold, self.window, self.resume_below = threshold, window_seconds, resume_below
        self._sampler, self._clock = sampler, clock
        self._above_since: float | None = None
        self.open, self.last = False, 0.0
        self.reason = ""

    def check(self) -> str | None:
        """'open' or 'close' when the state changes, else None."""
        self.last = value = self._sampler()
        now = self._clock()
        if self.open:
            if value < self.resume_below:
                self.open, self._above_since = False, None
                return "close"
            return None
        if value <= self.threshold:
            self._above_since = None
            return None
        if self._above_since is None:
            self._above_since = now
        if now - self._above_since >= self.window:
            self.open = True
            self.reason = (f"machine CPU above {self.threshold:g}% for {self.window:g} s "
                           f"(now {value:.0f}%); not claiming until it is below "
                           f"{self.resume_below:g}%")
            return "open"
        return None

    def details(self) -> dict[str, Any]:
        return {"cpu_percent": round(self.last, 1), "threshold_percent": self.threshold,
                "window_seconds": self.window, "resume_below_percent": self.resume_below}
