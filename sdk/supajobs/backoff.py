"""The retry delay formula of jobs.backoff_seconds, in Python (tests compare the two)."""

from __future__ import annotations


def backoff_seconds(base: float, cap: float, attempt: int, jitter: float, r: float) -> float:
    """Delay before attempt n+1 after attempt n failed: exponential, capped, with jitter.

    Same operations in the same order as the SQL, so the floats are identical:
    least(cap, base * power(2, greatest(attempt, 1) - 1)) * (1 - jitter * r)
    """
    return min(cap, base * (2.0 ** (max(attempt, 1) - 1))) * (1 - jitter * r)
