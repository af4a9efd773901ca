"""Receipt files for the parallel-reading tests, and a reader whose process dies on demand."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import psutil

from supajobs_dev.demo.sample_receipts import render_pdf, render_png
from supajobs_receipts.reading import ReadOptions
from supajobs_receipts.reading.parallel import Outcome, read_data, read_path

SAMPLES = Path(__file__).parents[1] / "data" / "receipts" / "samples.json"


def write_receipts(folder: Path, pdfs: int, images: int = 0) -> list[Path]:
    """Text PDFs (and images) of the corpus' samples, named so that sorting keeps this order."""
    folder.mkdir(parents=True, exist_ok=True)
    samples = [s for s in json.loads(SAMPLES.read_text(encoding="utf-8"))
               if s["name"] != "newsletter_not_receipt"]
    written: list[Path] = []
    for i in range(pdfs + images):
        sample = samples[i % len(samples)]
        is_image = i >= pdfs
        path = folder / f"{i:03d}-{sample['name']}.{'png' if is_image else 'pdf'}"
        path.write_bytes(render_png(sample["lines"]) if is_image else render_pdf(sample["lines"]))
        written.append(path)
    return written


def read_or_die(path: str) -> Outcome:
    """read_path, except that a file named die-* kills the reading process (as a crash would)."""
    if Path(path).name.startswith("die-"):
        os._exit(9)
    return read_path(path)


def reading_processes(parent: psutil.Process) -> list[psutil.Process]:
    """The reading processes of a pool: the children of multiprocessing's fork server (they
    carry its command line), not the server itself nor the resource tracker."""
    found: list[psutil.Process] = []
    for child in parent.children():
        try:
            if "forkserver" in " ".join(child.cmdline()):
                found += [p for p in child.children() if p.status() != psutil.STATUS_ZOMBIE]
        except psutil.Error:  # gone, or a zombie, meanwhile
            continue
    return found


def timed_read(log_dir: str, data: bytes, filename: str | None,
               options: ReadOptions | None) -> Outcome:
    """read_data that leaves (pid, start, end) in log_dir: when and where each read ran."""
    started = time.time()
    outcome = read_data(data, filename, options)
    record = {"pid": os.getpid(), "file": filename, "start": started, "end": time.time()}
    Path(log_dir, f"{os.getpid()}-{started:.6f}.json").write_text(json.dumps(record))
    return outcome


def read_data_or_die(data: bytes, filename: str | None, options: ReadOptions | None) -> Outcome:
    if filename is not None and filename.startswith("die-"):
        os._exit(9)
    return read_data(data, filename, options)


def read_log(log_dir: Path) -> list[dict[str, Any]]:
    return sorted((json.loads(p.read_text()) for p in log_dir.glob("*.json")),
                  key=lambda r: float(r["start"]))
