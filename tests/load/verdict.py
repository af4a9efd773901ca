"""Did the load run meet the operating targets? Success rate, backlog trend, flat memory."""

from __future__ import annotations

from typing import Any

from chaos.db import query
from chaos.report import percentile

STATUS = "select status::text as s, count(*) as n from jobs.jobs group by 1"
LATENCY = ("select extract(epoch from finished_at - created_at) as s from jobs.jobs"
           " where status = 'succeeded'")
TARGET_SUCCESS = 0.999
MAX_BACKLOG_SLOPE = 0.5   # jobs per second: more would be a backlog that keeps growing
MAX_RSS_GROWTH = 0.20     # a fifth more memory at the end than after warm-up is not flat


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y over x."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx, my = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    return 0.0 if var == 0 else sum((x - mx) * (y - my) for x, y in points) / var


def latency(url: str) -> dict[str, float | None]:
    """Enqueue commit to completion, in ms."""
    values = [float(r["s"]) * 1000 for r in query(url, LATENCY)]
    return {f"p{p}_ms": (None if (v := percentile(values, p)) is None else round(v, 1))
            for p in (50, 95, 99)}


def judge(url: str, seconds: float, enqueued: int, samples: list[dict[str, Any]]
          ) -> dict[str, Any]:
    status = {r["s"]: int(r["n"]) for r in query(url, STATUS)}
    success = status.get("succeeded", 0) / enqueued if enqueued else 0.0
    steady = [s for s in samples if 10 <= s["t"] <= seconds]  # after warm-up, while enqueuing
    backlog_slope = slope([(s["t"], s["backlog"]) for s in steady])
    with_rss = [s for s in steady if all(s["rss_mb"])]
    growth = [0.0]
    if len(with_rss) >= 2:
        first, last = with_rss[0]["rss_mb"], with_rss[-1]["rss_mb"]
        growth = [(b - a) / a for a, b in zip(first, last, strict=True)]
    return {"status": status, "success_rate": round(success, 5),
            "backlog_slope_per_s": round(backlog_slope, 3),
            "backlog_max": max((s["backlog"] for s in steady), default=0),
            "rss_growth": [round(g, 3) for g in growth],
            "met": {"success": success > TARGET_SUCCESS,
                    "no_backlog_growth": backlog_slope <= MAX_BACKLOG_SLOPE,
                    "memory_flat": max(growth) <= MAX_RSS_GROWTH}}
