"""Remember signed requests seen within the signature window, to refuse exact replays.

A replay could at worst make a worker claim (harmless), but a request seen twice is not a
genuine wake-up. Only this instance's memory: other instances behind the same URL keep
their own, which is enough because a replayed wake-up cannot do harm, only waste.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class ReplayCache:
    def __init__(self, window_seconds: float = 300.0, max_entries: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.window_seconds = window_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._seen: OrderedDict[tuple[int, str], float] = OrderedDict()

    def _prune(self, now: float) -> None:
        while self._seen:
            key, expires = next(iter(self._seen.items()))
            if expires > now and len(self._seen) <= self.max_entries:
                break
            del self._seen[key]

    def check_and_remember(self, timestamp: int, signature: str) -> bool:
        """True the first time (timestamp, signature) is seen within the window."""
        now = self._clock()
        self._prune(now)
        key = (timestamp, signature.strip().lower())
        if key in self._seen:
            return False
        self._seen[key] = now + self.window_seconds * 2  # covers past and future skew
        return True

    def __len__(self) -> int:
        return len(self._seen)
