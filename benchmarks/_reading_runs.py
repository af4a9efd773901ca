"""The runs benchmarks/receipt_reading.py measures: each returns seconds, CPU seconds of
its processes and their peak RSS (and parse's JSON output)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from _rss import PeakRss
from PIL import Image

from supajobs_receipts.reading import engine
from supajobs_receipts.reading.parallel import close_pool, reading_pool

SUPAJOBS = str(Path(sys.executable).with_name("supajobs"))
LANGUAGES, PSM = "jpn+eng", 6  # what the reader's first pass uses (reading/ocr.py)


def env(**changes: str | None) -> dict[str, str]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    for key, value in changes.items():
        env.pop(key, None) if value is None else env.__setitem__(key, value)
    return env


def cli_limit(images: list[Path], cores: int) -> dict[str, Any]:
    def one(path: Path) -> None:
        subprocess.run(["tesseract", str(path), "-", "-l", LANGUAGES, "--psm", str(PSM)],
                       env=env(), capture_output=True, check=True)

    before = _children_cpu()
    with PeakRss(os.getpid()) as rss, ThreadPoolExecutor(cores) as threads:
        started = time.perf_counter()
        list(threads.map(one, images))
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_rss_mb": rss.peak_mb, "cpu": _children_cpu() - before}


def _children_cpu() -> float:
    """CPU seconds of the ended, waited-for subprocesses (exact, unlike sampling)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
    return {"seconds": seconds, "peak_rss_mb": rss.peak_mb, "cpu": rss.cpu_seconds}


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
    return {"seconds": seconds, "peak_rss_mb": rss.peak_mb, "cpu": rss.cpu_seconds,
            "json": json.loads(out)}
