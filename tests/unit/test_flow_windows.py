"""The checks the multi-process test and the benchmark apply to the history: they do see a
window that holds one start too many, and jobs of a key that overlap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from supajobs_dev.flowcheck.windows import Attempt, most_in_window, most_running, windows_over

T0 = datetime(2026, 12, 8, tzinfo=UTC)


def at(*seconds: float) -> list[datetime]:
    return [T0 + timedelta(seconds=s) for s in seconds]


def test_a_sliding_window_with_one_start_too_many_is_found() -> None:
    ok = at(0, 0.1, 0.2, 1.0, 1.1, 1.2)          # 3 per second, windows aligned or not
    assert windows_over(ok, 3, 1.0) == 0 and most_in_window(ok, 1.0) == 3
    bad = at(0, 0.1, 0.6, 0.9, 1.5)              # 0.1 .. 0.9 holds 3 within 1 s, then 4
    assert windows_over(bad, 3, 1.0) == 1 and most_in_window(bad, 1.0) == 4
    # Fixed windows [0,1) and [1,2) would each hold 3 here; the sliding one [0.5, 1.5) holds 4.
    straddling = at(0.0, 0.5, 0.6, 0.7, 1.0, 1.1)
    assert most_in_window(straddling, 1.0) == 5


def test_overlapping_attempts_are_counted() -> None:
    def run(start: float, end: float | None) -> Attempt:
        return Attempt("k", *at(start), None if end is None else at(end)[0], "w")

    assert most_running([run(0, 1), run(1, 2), run(2, 3)]) == 1  # one ends as the next starts
    assert most_running([run(0, 2), run(1, 3), run(1.5, None)]) == 3
