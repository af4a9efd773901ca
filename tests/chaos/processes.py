"""Real processes for chaos and load runs: webhook workers running the chaos handler, and the
relay. Adapted from e2e.worker_harness (which hard-codes its handler module)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from chaos.handlers import DB_URL_ENV
from e2e.worker_harness import ENV, SECRET

__all__ = ["SECRET", "Relay", "WorkerSlot", "start_relay"]


@dataclass
class WorkerSlot:
    """One worker position behind the balancer: a fixed port, restarted under new ids."""

    name: str
    port: int
    db_url: str
    logs: Path
    concurrency: int
    lease: int | None  # None: the worker's default
    process: subprocess.Popen[str] | None = None
    generation: int = 0
    worker_id: str = ""
    ids: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)  # e.g. SUPAJOBS_DB_PREPARE=off

    def start(self) -> None:
        """Start a fresh process (new worker id); does not wait for it to be healthy."""
        self.generation += 1
        self.worker_id = f"{self.name}-g{self.generation}"
        self.ids.append(self.worker_id)
        cmd = [sys.executable, "-m", "supajobs_worker.main", "serve",
               "--import", "chaos.handlers", "--host", "127.0.0.1", "--port", str(self.port),
               "--database-url", self.db_url, "--webhook-secret", SECRET,
               "--worker-id", self.worker_id, *self._lease_args(),
               "--shutdown-grace", "2", "--concurrency", str(self.concurrency),
               "--log-level", "WARNING"]
        log = (self.logs / f"{self.worker_id}.log").open("w")
        self.process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True,
                                        env={**ENV, DB_URL_ENV: self.db_url, **self.env})
        log.close()

    def _lease_args(self) -> list[str]:
        return [] if self.lease is None else ["--lease-seconds", str(self.lease)]

    def wait_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"{self.worker_id} exited: {self.log_text()}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.worker_id} not healthy in {timeout} s: {self.log_text()}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def log_text(self) -> str:
        path = self.logs / f"{self.worker_id}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def rss_bytes(self) -> int | None:
        import psutil

        if self.process is None or self.process.poll() is not None:
            return None
        try:
            return int(psutil.Process(self.process.pid).memory_info().rss)
        except psutil.Error:
            return None


@dataclass
class Relay:
    process: subprocess.Popen[str]
    log_path: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


def start_relay(db_url: str, logs: Path, *faults: str) -> Relay:
    """The pg_net stand-in's relay; faults are CLI options such as "--drop-rate", "0.2"."""
    log_path = logs / "relay.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "supajobs_dev.relay", "--db-url", db_url, "--poll-interval", "0.5",
             "--log-level", "WARNING", *faults],
            stdout=log, stderr=subprocess.STDOUT, text=True, env=ENV)
    return Relay(process, log_path)
