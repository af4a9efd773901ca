"""The tables that go into docs/benchmarks.md, from the report of compare.py."""

from __future__ import annotations

from typing import Any


def _n(value: Any, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _span(entry: dict[str, Any] | None, digits: int = 0) -> str:
    if entry is None:
        return "-"
    return (f"{_n(entry['median'], digits)} ({_n(entry['min'], digits)}-"
            f"{_n(entry['max'], digits)})")


def render(report: dict[str, Any]) -> str:
    runs = report["runs"]
    lines = ["| system | enqueue 1/call (jobs/s) | enqueue 1,000/call (jobs/s) |",
             "|---|---:|---:|"]
    for name in ("supajobs", "pgqueuer", "procrastinate"):
        one = [r["enqueue"][name]["one"] for r in runs]
        batched = [r["enqueue"][name]["batched"] for r in runs]
        lines.append(f"| {name} | {_span(_stat(one))} | {_span(_stat(batched))} |")
    lines += ["", "| worker configuration | processing jobs/s | wake p50 / p95 / p99 ms "
              "| RSS idle / load MB |", "|---|---:|---:|---:|"]
    for key, entry in report["configs"].items():
        wake = " / ".join(_n(entry[f"wake_{p}_ms"]["median"], 1) if entry[f"wake_{p}_ms"]
                          else "-" for p in ("p50", "p95", "p99"))
        rss = f"{_n(entry['rss_idle_mb']['median'])} / {_n(entry['rss_load_mb']['median'])}"
        lines.append(f"| {report['specs'][key]['label']} | {_span(entry['process_jps'])} | "
                     f"{wake} | {rss} |")
    lines.append(f"| bare SKIP LOCKED loop (ceiling; 2 processes, batch 100, no worker) | "
                 f"{_n(report['ceiling_jps'])} | | |")
    sj = report["supajobs"]
    lines += ["", f"supajobs best processing / best peer: **{sj['ratio_process_vs_best_peer']}"
              f"x**; / bare ceiling: **{report['ratio_process_vs_ceiling']}x**", "",
              "| claim latency, 1 job per claim (and heartbeat) | p50 ms (min-max) |"
              " p95 ms (min-max) |",
              "|---|---:|---:|"]
    for key in report["claim_latency"][0]:
        p50 = _stat([rep[key]["p50"] for rep in report["claim_latency"]])
        p95 = _stat([rep[key]["p95"] for rep in report["claim_latency"]])
        label = key.replace('_', ', ', 1).replace('_', ' ')
        lines.append(f"| {label} | {_span(p50, 2)} | {_span(p95, 2)} |")
    lines += ["", "| target | value | bound | met |", "|---|---:|---:|---|"]
    for v in report["verdicts"]:
        met = "-" if v["met"] is None else ("yes" if v["met"] else "**no**")
        lines.append(f"| {v['target']} | {_n(v['value'], 2)} | {_n(v['bound'], 2)} | {met} |")
    loads = ", ".join(f"{a}→{b}" for a, b in report["load_average_1m"])
    lines += ["", f"Load average (1 min) before→after each repetition: {loads}.", ""]
    return "\n".join(lines)


def _stat(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median": ordered[len(ordered) // 2], "min": ordered[0], "max": ordered[-1]}
