"""Wake latency: the sender stamps time.time() into the payload just before enqueueing; the
handler appends `now - stamp` (ms) to the file named by $BENCH_LATENCY_FILE. All processes run
on one machine, so the wall clocks agree."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

LATENCY_ENV = "BENCH_LATENCY_FILE"


def record(sent_at: float) -> None:
    """Called first thing in a handler whose payload carries a stamp."""
    path = os.environ.get(LATENCY_ENV)
    if path:
        with open(path, "a") as out:
            out.write(f"{(time.time() - sent_at) * 1000:.3f}\n")


def read(path: Path) -> list[float]:
    if not path.exists():
        return []
    return [float(line) for line in path.read_text().split()]


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/p99 (inclusive method: exact order statistics for these sample sizes)."""
    if len(values) < 2:
        raise ValueError(f"need at least 2 latency samples, got {len(values)}")
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49], 2), "p95": round(cuts[94], 2), "p99": round(cuts[98], 2),
            "max": round(max(values), 2), "samples": len(values)}
