"""Start and stop several `supajobs-worker listen` processes that run the probe type."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from supajobs import JobTypeOptions
from supajobs_dev.flowcheck.probe import OPTIONS_ENV, SLEEP_ENV


@contextmanager
def fleet(db_url: str, workers: int, options: JobTypeOptions, logs: Path, *,
          sleep: float = 0.0, concurrency: int = 8) -> Iterator[list[subprocess.Popen[str]]]:
    env = {**os.environ, OPTIONS_ENV: options.model_dump_json(), SLEEP_ENV: str(sleep),
           "PYTHONUNBUFFERED": "1"}
    logs.mkdir(parents=True, exist_ok=True)
    processes: list[subprocess.Popen[str]] = []
    try:
        for index in range(workers):
            with (logs / f"flow-worker-{index}.log").open("w") as out:
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "supajobs_worker.main", "listen", "--import",
                     "supajobs_dev.flowcheck.probe", "--database-url", db_url,
                     "--worker-id", f"flow-{index}", "--concurrency", str(concurrency),
                     "--log-level", "WARNING"],
                    stdout=out, stderr=subprocess.STDOUT, text=True, env=env))
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
