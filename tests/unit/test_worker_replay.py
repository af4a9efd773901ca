"""The replay cache: a signed request is accepted once within the window."""

from __future__ import annotations

from supajobs_worker.replay import ReplayCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_same_request_is_refused_until_it_has_expired() -> None:
    clock = Clock()
    cache = ReplayCache(window_seconds=300, clock=clock)
    assert cache.check_and_remember(1, "v1=AB")
    assert not cache.check_and_remember(1, "v1=ab")  # the hex digest is case-insensitive
    assert cache.check_and_remember(2, "v1=ab")  # another timestamp is another request
    clock.now += 601  # past the window, also for timestamps from the future
    assert cache.check_and_remember(1, "v1=ab")
    assert len(cache) == 1  # expired entries are dropped


def test_memory_is_bounded() -> None:
    cache = ReplayCache(max_entries=3, clock=Clock())
    for ts in range(10):
        cache.check_and_remember(ts, "v1=x")
    assert len(cache) <= 4
