"""Worker processes of every system: start, wait until healthy, sample RSS, stop.

RSS is the worker's process tree (psutil: the process and its children), sampled every 50 ms
into the current phase ("idle" or "load"); the peak per phase is reported.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

PEERS = Path(__file__).resolve().parent


def child_env(latency_file: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", "BENCH_LATENCY_FILE": str(latency_file),
            "PYTHONPATH": os.pathsep.join([str(PEERS), str(PEERS.parent),
                                           os.environ.get("PYTHONPATH", "")])}


@dataclass
class WorkerSpec:
    label: str       # e.g. "supajobs listen, concurrency 100"
    system: str      # supajobs | pgqueuer | procrastinate
    args: list[str]  # after the python executable
    settings: str    # the concurrency/batch settings, stated in the report
    health_url: str | None = None
    wake: bool = False  # measure wake latency with this configuration
    key: str = ""    # short name for JSON


class RssSampler:
    def __init__(self, pid: int) -> None:
        self.proc = psutil.Process(pid)
        self.phase = "startup"
        self.peaks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _rss(self) -> int:
        total = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):  # a child may exit meanwhile
                total += p.memory_info().rss
        return total

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                mb = self._rss() / 2**20
            except psutil.Error:
                return
            self.peaks[self.phase] = max(self.peaks.get(self.phase, 0.0), mb)
            time.sleep(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)


@dataclass
class Running:
    spec: WorkerSpec
    process: subprocess.Popen[bytes]
    log: Path
    rss: RssSampler
    extra: list[subprocess.Popen[bytes]] = field(default_factory=list)


def start(spec: WorkerSpec, tmp: Path, latency_file: Path,
          extra_cmds: list[list[str]] | None = None) -> Running:
    log = tmp / f"{spec.key}.log"
    env = child_env(latency_file)
    extra = [subprocess.Popen([sys.executable, *cmd], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for cmd in extra_cmds or []]
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, *spec.args], env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    running = Running(spec, process, log, RssSampler(process.pid), extra)
    if spec.health_url:
        _wait_healthy(running, spec.health_url)
    return running


def _wait_healthy(running: Running, url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(f"{running.spec.label} exited:\n{running.log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{running.spec.label} did not become healthy")


def stop(running: Running) -> None:
    running.rss.stop()
    for process in [running.process, *running.extra]:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
