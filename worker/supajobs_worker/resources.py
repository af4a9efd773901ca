"""Resource use: this process's RSS and CPU, the machine's memory pressure (psutil).

Above the memory threshold the worker stops claiming (it finishes what it holds); the
numbers go to /metrics and to jobs.report_worker so operators see every instance.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import psutil


@dataclass(frozen=True)
class ResourceSample:
    rss_bytes: int
    cpu_percent: float
    memory_percent: float  # of the machine (or container) memory in use

    def as_stats(self) -> dict[str, float | int]:
        return {"rss_bytes": self.rss_bytes, "cpu_percent": round(self.cpu_percent, 2),
                "memory_percent": round(self.memory_percent, 2)}


def _system_memory_percent() -> float:
    return float(psutil.virtual_memory().percent)


class ResourceMonitor:
    """memory_percent is injectable so tests can simulate pressure without allocating it."""

    def __init__(self, threshold_percent: float = 95.0,
                 memory_percent: Callable[[], float] = _system_memory_percent, *,
                 check_every: float = 0.25) -> None:
        self.threshold_percent = threshold_percent
        self._memory_percent = memory_percent
        # Every claim asks; reading /proc each time cost ~0.1-0.3 ms on the wake-up path,
        # and memory pressure does not change within a quarter of a second.
        self._check_every, self._checked_at, self._over = check_every, float("-inf"), False
        self._process = psutil.Process()
        self._process.cpu_percent(None)  # the first call only starts the measurement
        self.last = self.sample()

    def sample(self) -> ResourceSample:
        with self._process.oneshot():
            rss = self._process.memory_info().rss
            cpu = self._process.cpu_percent(None)
        self.last = ResourceSample(rss, cpu, self._memory_percent())
        return self.last

    def over_threshold(self) -> bool:
        now = time.monotonic()
        if now - self._checked_at >= self._check_every:
            self._over = self._memory_percent() > self.threshold_percent
            self._checked_at = now
        return self._over
