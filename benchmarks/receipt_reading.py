"""Receipts read per minute against Tesseract alone on the same images, side by side.

The limit: the `tesseract` CLI alone, one process per core, each image once with the
reader's language and page mode (jpn+eng, --psm 6, one OpenMP thread each). Against it:
`supajobs receipts parse --json DIR` (every core), the same with --jobs 1, and the old way
(--jobs 1 with a tesseract process per call and OpenMP's default threads, as before issue 16).
A stricter floor is shown too: Tesseract's C API alone, warm, once per image. Text PDFs are
measured apart (no OCR). Peak RSS is the whole process tree's, sampled every 50 ms.

Usage: .venv/bin/python benchmarks/receipt_reading.py   (or `make bench-receipts`)
Environment: BENCH_QUICK=1 (skip the old way), BENCH_OUTPUT (default
results/receipt_reading.json). Exit 1 when parse reads fewer than 0.9 x the limit.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from _reading_runs import api_floor, cli_limit, env, parse
from _receipt_corpus import build
from _report import machine

from supajobs_receipts.reading.parallel import usable_cores

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "receipt_reading.json"
TARGET = 0.9


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of the rounds: other sessions' load only ever slows a run down."""
    return min(runs, key=lambda r: float(r["seconds"]))


def row(name: str, files: int, result: dict[str, Any], limit: dict[str, Any] | None
        ) -> dict[str, Any]:
    per_min, cpu = files / result["seconds"] * 60, result["cpu"] / files
    ratios: dict[str, float | None] = {"ratio_to_limit": None, "cpu_ratio_to_limit": None}
    if limit is not None:
        ratios = {"ratio_to_limit": round(per_min / (files / limit["seconds"] * 60), 2),
                  "cpu_ratio_to_limit": round(limit["cpu"] / files / cpu, 2)}
    return {"measurement": name, "files": files, "seconds": round(result["seconds"], 2),
            "per_minute": round(per_min, 1), "cpu_s_per_file": round(cpu, 3),
            "peak_rss_mb": round(result["peak_rss_mb"]), **ratios}


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| measurement | files | seconds | receipts/min | ratio to limit | CPU s/receipt |"
             " CPU ratio | peak RSS MB |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = "" if r["ratio_to_limit"] is None else f"{r['ratio_to_limit']:.2f}"
        cpu = "" if r["cpu_ratio_to_limit"] is None else f"{r['cpu_ratio_to_limit']:.2f}"
        lines.append(f"| {r['measurement']} | {r['files']} | {r['seconds']:.1f} | "
                     f"{r['per_minute']:.1f} | {ratio} | {r['cpu_s_per_file']:.3f} | {cpu} | "
                     f"{r['peak_rss_mb']} |")
    return "\n".join(lines)


def main() -> int:
    quick, rounds = os.environ.get("BENCH_QUICK") == "1", int(os.environ.get("BENCH_ROUNDS", "2"))
    output = Path(os.environ.get("BENCH_OUTPUT", DEFAULT_OUTPUT))
    cores, load = usable_cores(), os.getloadavg()[0]
    plain = env(OMP_THREAD_LIMIT=None)  # what a user's shell has: parse sets the limit itself
    with tempfile.TemporaryDirectory(prefix="bench-receipts-") as tmp:
        images, pdfs = build(Path(tmp))
        folder, n = images[0].parent, len(images)
        limits, parallels = [], []
        for _ in range(rounds):  # interleaved, so a burst of load hits both alike
            limits.append(cli_limit(images, cores))
            parallels.append(parse(folder, None, plain))
        limit, parallel = best(limits), best(parallels)
        rows = [row(f"limit: tesseract CLI alone, {cores} processes", n, limit, limit),
                row(f"floor: Tesseract C API alone, warm, {cores} processes", n,
                    api_floor(images, cores), limit),
                row(f"supajobs receipts parse --json (--jobs {cores})", n, parallel, limit)]
        sequential = parse(folder, 1, plain)
        rows.append(row("supajobs receipts parse --json --jobs 1", n, sequential, limit))
        same = all(r["json"] == parallel["json"] for r in [*parallels, sequential])
        if not quick:  # before issue 16: one file at a time, a tesseract process per call
            old = parse(folder, 1, env(SUPAJOBS_OCR_ENGINE="cli", OMP_THREAD_LIMIT=str(cores)))
            rows.append(row("old way: --jobs 1, tesseract CLI per call", n, old, limit))
        for jobs, name in ((None, f"--jobs {cores}"), (1, "--jobs 1")):
            rows.append(row(f"text PDFs: parse --json {name}", len(pdfs),
                            parse(pdfs[0].parent, jobs, plain), None))
    ours = rows[2]["ratio_to_limit"]
    print(f"{n} images, {len(pdfs)} text PDFs, {cores} usable cores, best of {rounds} rounds for "
          f"the limit and parse; load {load:.2f} before the run (other processes distort the "
          "numbers)\n")
    print(table(rows))
    print(f"\nparse --json output identical across the runs: {same}; "
          f"parallel parse / limit = {ours:.2f} (target >= {TARGET})")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({"machine": machine(), "load_before": load, "rows": rows,
                                  "identical_output": same}, indent=1) + "\n")
    return 0 if same and ours >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
