"""Summaries (median, min-max, ratio to the bare loop), the printed table, machine facts."""

from __future__ import annotations

import os
import platform
import statistics
from pathlib import Path
from typing import Any

import psycopg
from _suite import claim_key

TARGET_RATIO = 0.40


def summarize(samples: dict[str, list[float]], batches: tuple[int, ...]) -> list[dict[str, Any]]:
    """One row per measurement; supajobs claim rows carry their ratio to the bare loop."""
    medians = {key: statistics.median(values) for key, values in samples.items()}
    order = [k for b in batches for k in (claim_key("bare", b), claim_key("supajobs", b))]
    order += [k for k in samples if k not in order]
    rows: list[dict[str, Any]] = []
    for key in order:
        values = samples[key]
        ratio = None
        if key.startswith("supajobs claim"):
            bare = medians[key.replace("supajobs", "bare", 1)]
            ratio = medians[key] / bare
        rows.append({"measurement": key, "runs_jobs_per_s": [round(v, 1) for v in values],
                     "median": round(medians[key], 1), "min": round(min(values), 1),
                     "max": round(max(values), 1),
                     "ratio_to_bare": None if ratio is None else round(ratio, 3)})
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    head = f"| {'measurement':<40} | {'median jobs/s':>13} | {'min - max':>17} | {'vs bare':>7} |"
    lines = [head, "|" + "|".join("-" * (len(c) + 0) for c in head.split("|")[1:-1]) + "|"]
    for row in rows:
        span = f"{row['min']:,.0f} - {row['max']:,.0f}"
        ratio = "" if row["ratio_to_bare"] is None else f"{row['ratio_to_bare']:.0%}"
        lines.append(f"| {row['measurement']:<40} | {row['median']:>13,.0f} | {span:>17} "
                     f"| {ratio:>7} |")
    return "\n".join(lines)


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    return [f"{r['measurement']}: {r['ratio_to_bare']:.0%} of the bare loop "
            f"({'meets' if r['ratio_to_bare'] >= TARGET_RATIO else 'below'} the "
            f"{TARGET_RATIO:.0%} target)" for r in rows if r["ratio_to_bare"] is not None]


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0.0


def machine() -> dict[str, Any]:
    return {"cpu": _cpu_model(), "cores": os.cpu_count(), "memory_gib": _memory_gib(),
            "kernel": platform.release(), "python": platform.python_version(),
            "psycopg": psycopg.__version__}
