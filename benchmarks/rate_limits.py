"""Throughput under a rate limit: how close 4 worker processes come to the limit they share.

Starts a throwaway cluster, then per scenario declares the probe type's windows, starts
4 `supajobs-worker listen` processes (supajobs_dev.flowcheck), enqueues a backlog larger
than the limit lets through, and counts the starts in a whole number of windows from the
first one. achieved / limit is the ratio (1.0: every start the windows allow was used; the
limiter itself never goes above, see tests/e2e/test_flow_workers.py). About 50 s.

Usage: .venv/bin/python benchmarks/rate_limits.py   (or `make bench-limits`)
Environment: BENCH_LIMITS_SECONDS (measured seconds per scenario, default 9),
BENCH_OUTPUT (default results/rate_limits.json).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from _cluster import bench_cluster
from _sql import load, run_script

from supajobs import JobTypeOptions, RateLimit
from supajobs_dev.flowcheck.fleet import fleet

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "rate_limits.json"
WORKERS = 4
TARGET = 0.9  # docs/flow-control.md: within 10 % of the limit
# (label, windows, keys): the first window is the binding one, its rate is the limit.
SCENARIOS: list[tuple[str, tuple[RateLimit, ...], int]] = [
    ("50/s, one key", (RateLimit(starts=50, per_seconds=1),), 1),
    ("10/s per key, 5 keys", (RateLimit(starts=10, per_seconds=1),), 5),
    ("5/s and 3,000/day, 2 keys", (RateLimit(starts=5, per_seconds=1),
                                   RateLimit(starts=3000, per_seconds=86400)), 2),
]


def measure(url: str, windows: tuple[RateLimit, ...], keys: int, seconds: float,
            logs: Path) -> dict[str, Any]:
    binding = windows[0]
    limit = binding.starts / binding.per_seconds * keys  # starts per second, all keys
    span = max(1, round(seconds / binding.per_seconds)) * binding.per_seconds
    with psycopg.connect(url, autocommit=True) as conn:
        run_script(conn, "flow_reset")
        conn.execute(load("flow_declare"),
                     {"windows": json.dumps([w.model_dump() for w in windows])})
    options = JobTypeOptions(rate_limits=windows, rate_key="account", max_attempts=1,
                             timeout_seconds=60)
    per_key = int(binding.starts * (span / binding.per_seconds + 3))
    with fleet(url, WORKERS, options, logs, concurrency=16):
        time.sleep(2.0)  # the workers connect and listen
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(load("flow_enqueue"), {"per_key": per_key, "keys": keys})
            first = wait_for_first_start(conn)
            # the whole measured span, whenever the first start came (a loaded machine
            # may start the worker processes late)
            time.sleep(max(0.0, first + span + 1.0 - time.time()))
    with psycopg.connect(url, autocommit=True) as conn:
        starts = [float(r[0]) for r in conn.execute(load("flow_starts")).fetchall()]
    first = starts[0] if starts else 0.0
    counted = sum(1 for s in starts if first <= s < first + span)
    achieved = counted / span
    return {"limit_per_s": limit, "measured_seconds": span, "starts": counted,
            "achieved_per_s": achieved, "ratio": achieved / limit}


def wait_for_first_start(conn: psycopg.Connection[Any], timeout: float = 30) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = conn.execute(load("flow_first_start")).fetchone()
        if row is not None and row[0] is not None:
            return float(row[0])
        time.sleep(0.05)
    raise SystemExit(f"no probe job started within {timeout:g} s: see the worker logs")


def table(rows: list[dict[str, Any]]) -> str:
    head = f"| {'limit':<28} | {'limit starts/s':>14} | {'achieved starts/s':>17} | {'ratio':>6} |"
    lines = [head, "|" + "|".join("-" * len(c) for c in head.split("|")[1:-1]) + "|"]
    for r in rows:
        lines.append(f"| {r['scenario']:<28} | {r['limit_per_s']:>14,.1f} "
                     f"| {r['achieved_per_s']:>17,.1f} | {r['ratio']:>6.1%} |")
    return "\n".join(lines)


def main() -> None:
    seconds = float(os.environ.get("BENCH_LIMITS_SECONDS", "9"))
    if not 1 <= seconds <= 30:
        raise SystemExit(f"BENCH_LIMITS_SECONDS must be from 1 to 30, got {seconds:g}")
    started, rows = time.monotonic(), []
    with bench_cluster() as cluster, tempfile.TemporaryDirectory() as logs:
        for label, windows, keys in SCENARIOS:
            row = {"scenario": label, "windows": [w.model_dump() for w in windows],
                   "keys": keys, **measure(cluster.url(), windows, keys, seconds, Path(logs))}
            rows.append(row)
            print(f"{label}: {row['achieved_per_s']:.1f} starts/s of {row['limit_per_s']:.1f}"
                  f" ({row['ratio']:.1%})", flush=True)
    print(table(rows))
    below = [r["scenario"] for r in rows if r["ratio"] < TARGET]
    print("all within 10 % of the limit" if not below else f"below {TARGET:.0%}: {below}")
    output = Path(os.environ.get("BENCH_OUTPUT", DEFAULT_OUTPUT))
    output.write_text(json.dumps({
        "benchmark": "rate_limits", "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "workers": WORKERS, "seconds": round(time.monotonic() - started, 1), "rows": rows},
        indent=2) + "\n")
    if below:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
