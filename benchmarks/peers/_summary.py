"""Medians (min-max) over repetitions, the per-system keys of latest.json, target verdicts."""

from __future__ import annotations

import statistics
from typing import Any

SYSTEMS = ("supajobs", "pgqueuer", "procrastinate")


def stat(values: list[float]) -> dict[str, Any]:
    return {"median": round(statistics.median(values), 2), "min": round(min(values), 2),
            "max": round(max(values), 2), "runs": [round(v, 2) for v in values]}


def _med(runs: list[dict[str, Any]], *path: str) -> dict[str, Any] | None:
    values: list[float] = []
    for run in runs:
        node: Any = run
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, (int, float)):
            values.append(float(node))
    return stat(values) if values else None


def per_config(runs: list[dict[str, Any]], keys: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key in keys:
        entry = {"process_jps": _med(runs, "workers", key, "process_jps"),
                 "rss_idle_mb": _med(runs, "workers", key, "rss_idle_mb"),
                 "rss_load_mb": _med(runs, "workers", key, "rss_load_mb")}
        for p in ("p50", "p95", "p99"):
            entry[f"wake_{p}_ms"] = _med(runs, "workers", key, "wake", p)
        out[key] = entry
    return out


def _m(entry: dict[str, Any] | None) -> float | None:
    return None if entry is None else float(entry["median"])


def systems(runs: list[dict[str, Any]], configs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The keys the issue asks for, per system (process_jps: the best configuration)."""
    out: dict[str, Any] = {}
    for name in SYSTEMS:
        mine = {k: v for k, v in configs.items() if k.startswith(name)}
        listen = {k: v for k, v in mine.items() if "webhook" not in k}
        best = max(listen, key=lambda k: _m(listen[k]["process_jps"]) or 0.0)
        wake = next(k for k in listen if listen[k]["wake_p50_ms"] is not None)
        entry: dict[str, Any] = {
            "enqueue_jps": _m(_med(runs, "enqueue", name, "one")),
            "enqueue_batched_jps": _m(_med(runs, "enqueue", name, "batched")),
            "process_jps": _m(listen[best]["process_jps"]), "process_best_config": best,
            "wake_p50_ms": _m(listen[wake]["wake_p50_ms"]),
            "wake_p95_ms": _m(listen[wake]["wake_p95_ms"]),
            "wake_p99_ms": _m(listen[wake]["wake_p99_ms"]),
            "rss_peak_mb": max(_m(v["rss_load_mb"]) or 0.0 for v in mine.values()),
            "rss_idle_mb": max(_m(v["rss_idle_mb"]) or 0.0 for v in mine.values())}
        hooks = {k: v for k, v in mine.items() if "webhook" in k}
        for key, hook in hooks.items():
            entry["webhook_process_jps"] = _m(hook["process_jps"])
            entry["webhook_wake_p50_ms"] = _m(hook["wake_p50_ms"])
            entry["webhook_wake_p95_ms"] = _m(hook["wake_p95_ms"])
            entry["webhook_config"] = key
        out[name] = entry
    peers = [out[n]["process_jps"] for n in SYSTEMS if n != "supajobs"]
    out["supajobs"]["ratio_process_vs_best_peer"] = round(out["supajobs"]["process_jps"]
                                                          / max(peers), 3)
    return out


def verdicts(result: dict[str, Any], ceiling: float | None) -> list[dict[str, Any]]:
    sj, pq = result["supajobs"], result["pgqueuer"]
    checks = [
        ("processing (listen) >= 1.2 x pgqueuer best", sj["process_jps"],
         1.2 * pq["process_jps"], "ge"),
        ("processing (webhook path) >= 1.2 x pgqueuer best", sj.get("webhook_process_jps"),
         1.2 * pq["process_jps"], "ge"),
        ("enqueue one per call >= pgqueuer", sj["enqueue_jps"], pq["enqueue_jps"], "ge"),
        ("enqueue batched >= pgqueuer", sj["enqueue_batched_jps"], pq["enqueue_batched_jps"],
         "ge"),
        ("wake p50 (listen) <= pgqueuer", sj["wake_p50_ms"], pq["wake_p50_ms"], "le"),
        ("wake p50 (webhook) <= 15 ms", sj.get("webhook_wake_p50_ms"), 15.0, "le"),
        ("worker RSS under load <= 80 MB", sj["rss_peak_mb"], 80.0, "le"),
    ]
    out = []
    for name, value, bound, how in checks:
        met = value is not None and (value >= bound if how == "ge" else value <= bound)
        out.append({"target": name, "value": value, "bound": round(bound, 2), "met": met})
    if ceiling:
        out.append({"target": "info: supajobs processing / bare ceiling",
                    "value": round(sj["process_jps"] / ceiling, 3), "bound": None, "met": None})
    return out
