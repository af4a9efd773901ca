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
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from _receipt_corpus import build
from _report import machine
from _rss import PeakRss
from PIL import Image

from supajobs_receipts.reading import engine
from supajobs_receipts.reading.parallel import close_pool, reading_pool, usable_cores

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "receipt_reading.json"
SUPAJOBS = str(Path(sys.executable).with_name("supajobs"))
LANGUAGES, PSM, TARGET = "jpn+eng", 6, 0.9


def _env(**changes: str | None) -> dict[str, str]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    for key, value in changes.items():
        env.pop(key, None) if value is None else env.__setitem__(key, value)
    return env


def cli_limit(images: list[Path], cores: int) -> dict[str, Any]:
    def one(path: Path) -> None:
        subprocess.run(["tesseract", str(path), "-", "-l", LANGUAGES, "--psm", str(PSM)],
                       env=_env(), capture_output=True, check=True)

    with PeakRss(os.getpid()) as rss, ThreadPoolExecutor(cores) as threads:
        started = time.perf_counter()
        list(threads.map(one, images))
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_rss_mb": rss.peak_mb}


def _api_once(path: str) -> int:
    with Image.open(path) as img:
        return len(engine.image_to_data(img.convert("L"), LANGUAGES, PSM, 120.0)["text"])


def api_floor(images: list[Path], cores: int) -> dict[str, Any]:
    pool = reading_pool(cores)
    try:  # warm: the processes started and their models loaded before the clock starts
        list(pool.map(_api_once, [str(images[0])] * cores * 2))
        with PeakRss(os.getpid()) as rss:
            started = time.perf_counter()
            list(pool.map(_api_once, [str(p) for p in images]))
            seconds = time.perf_counter() - started
    finally:
        close_pool(pool, finished=True)
    return {"seconds": seconds, "peak_rss_mb": rss.peak_mb}


def parse(folder: Path, jobs: int | None, env: dict[str, str]) -> dict[str, Any]:
    command = [SUPAJOBS, "receipts", "parse", "--json", str(folder)]
    command += [] if jobs is None else ["--jobs", str(jobs)]
    started = time.perf_counter()
    run = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    with PeakRss(run.pid) as rss:
        out, err = run.communicate(timeout=600)
    seconds = time.perf_counter() - started
    if run.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({run.returncode}): {err.strip()}")
    return {"seconds": seconds, "peak_rss_mb": rss.peak_mb, "json": json.loads(out)}


def rate(files: int, result: dict[str, Any]) -> float:
    return files / result["seconds"] * 60


def row(name: str, files: int, result: dict[str, Any], limit: float | None) -> dict[str, Any]:
    per_min = rate(files, result)
    return {"measurement": name, "files": files, "seconds": round(result["seconds"], 2),
            "per_minute": round(per_min, 1), "peak_rss_mb": round(result["peak_rss_mb"]),
            "ratio_to_limit": None if limit is None else round(per_min / limit, 2)}


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| measurement | files | seconds | receipts/min | ratio to limit | peak RSS MB |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        ratio = "" if r["ratio_to_limit"] is None else f"{r['ratio_to_limit']:.2f}"
        lines.append(f"| {r['measurement']} | {r['files']} | {r['seconds']:.1f} | "
                     f"{r['per_minute']:.1f} | {ratio} | {r['peak_rss_mb']} |")
    return "\n".join(lines)


def main() -> int:
    quick = os.environ.get("BENCH_QUICK") == "1"
    output = Path(os.environ.get("BENCH_OUTPUT", DEFAULT_OUTPUT))
    cores = usable_cores()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-receipts-") as tmp:
        images, pdfs = build(Path(tmp))
        n = len(images)
        limit = cli_limit(images, cores)
        cap = rate(n, limit)
        rows = [row(f"limit: tesseract CLI alone, {cores} processes", n, limit, cap),
                row(f"floor: Tesseract C API alone, warm, {cores} processes", n,
                    api_floor(images, cores), cap)]
        parallel = parse(images[0].parent, None, _env(OMP_THREAD_LIMIT=None))
        rows.append(row(f"supajobs receipts parse --json (--jobs {cores})", n, parallel, cap))
        sequential = parse(images[0].parent, 1, _env(OMP_THREAD_LIMIT=None))
        rows.append(row("supajobs receipts parse --json --jobs 1", n, sequential, cap))
        same = parallel["json"] == sequential["json"]
        if not quick:  # before issue 16: one file at a time, a tesseract process per call
            old = parse(images[0].parent, 1, _env(SUPAJOBS_OCR_ENGINE="cli",
                                                  OMP_THREAD_LIMIT=str(cores)))
            rows.append(row("old way: --jobs 1, tesseract CLI per call", n, old, cap))
            same = same and old["json"] == parallel["json"]
        for jobs, name in ((None, f"--jobs {cores}"), (1, "--jobs 1")):
            rows.append(row(f"text PDFs: parse --json {name}", len(pdfs),
                            parse(pdfs[0].parent, jobs, _env(OMP_THREAD_LIMIT=None)), None))
    ours = rows[2]["ratio_to_limit"]
    print(f"{n} images, {len(pdfs)} text PDFs, {cores} usable cores, load {load:.2f} before "
          f"the run (other processes distort the numbers)\n")
    print(table(rows))
    print(f"\nparse --json output identical across the runs: {same}; "
          f"parallel parse / limit = {ours:.2f} (target >= {TARGET})")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({"machine": machine(), "load_before": load, "rows": rows,
                                  "identical_output": same}, indent=1) + "\n")
    return 0 if same and ours >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
