"""Real processes for the end-to-end tests: the worker under uvicorn, the relay, the setup."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from supajobs_dev.cluster import free_port

TESTS = Path(__file__).resolve().parents[1]
STANDIN = TESTS.parent / "supabase" / "dev" / "pg_net_standin.sql"
SECRET = "e2e-webhook-secret-0123456789"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
       "PYTHONUNBUFFERED": "1"}


def install_standin(url: str) -> None:
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-f", str(STANDIN)],
                   check=True, capture_output=True, text=True)


def sql(url: str, query: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query.encode(), params)  # fixed test queries only
        return list(cur.fetchall()) if cur.description else []


def prepare(url: str, port: int, *, standin: bool = True) -> None:
    """Test job types (short backoff so retries come quickly) and dispatch to the worker."""
    if standin:
        install_standin(url)
    for name in ("e2e_sleep", "e2e_noop"):
        sql(url, "select jobs.upsert_job_type(name => %s, timeout_seconds => 60,"
                 " backoff_base_seconds => 0.2, backoff_cap_seconds => 1)", [name])
    sql(url, "select jobs.configure_dispatch(%s, %s)", [f"http://127.0.0.1:{port}/webhook", SECRET])


@dataclass
class Worker:
    process: subprocess.Popen[str]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_worker(db_url: str, tmp: Path, *, port: int | None = None, lease: int = 30,
                 grace: float = 10.0, concurrency: int = 4, name: str = "w1",
                 env: dict[str, str] | None = None) -> Worker:
    """env: extra environment for the worker (e.g. SUPAJOBS_DB_PREPARE behind a pooler)."""
    port = port or free_port()
    log_path = tmp / f"{name}.log"
    cmd = [sys.executable, "-m", "supajobs_worker.main", "serve", "--import", "e2e.worker_handlers",
           "--host", "127.0.0.1", "--port", str(port), "--database-url", db_url,
           "--webhook-secret", SECRET, "--worker-id", name, "--lease-seconds", str(lease),
           "--shutdown-grace", str(grace), "--concurrency", str(concurrency)]
    with log_path.open("w") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, text=True,
                                   env={**ENV, **(env or {})})
    worker = Worker(process, port, log_path)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"worker exited with {process.returncode}:\n{worker.log()}")
        try:
            if httpx.get(worker.url + "/healthz", timeout=1).status_code == 200:
                return worker
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"worker did not become healthy:\n{worker.log()}")


def stop(process: subprocess.Popen[str], sig: int = signal.SIGTERM, timeout: float = 20) -> int:
    if process.poll() is None:
        process.send_signal(sig)
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait(5)


@contextmanager
def running(db_url: str, tmp: Path, **kwargs: Any) -> Iterator[Worker]:
    worker = start_worker(db_url, tmp, **kwargs)
    try:
        yield worker
    finally:
        stop(worker.process)


@contextmanager
def relay(db_url: str, *faults: str) -> Iterator[subprocess.Popen[str]]:
    """The stand-in's relay; faults are CLI options such as "--drop-rate", "1"."""
    process = subprocess.Popen([sys.executable, "-m", "supajobs_dev.relay", "--db-url", db_url,
                                "--poll-interval", "0.5", "--log-level", "WARNING", *faults],
                               env=ENV, text=True)
    try:
        yield process
    finally:
        stop(process)


def wait_for(predicate: Any, timeout: float = 20.0, interval: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


def job(url: str, job_id: int) -> dict[str, Any]:
    return sql(url, "select * from jobs.jobs where id = %s", [job_id])[0]


def executions(url: str, job_id: int) -> list[dict[str, Any]]:
    return sql(url, "select * from jobs.job_executions where job_id = %s order by attempt", [job_id])


def enqueue(url: str, job_type: str, payload: dict[str, Any]) -> int:
    rows = sql(url, "select id from jobs.enqueue(job_type => %s, payload => %s::jsonb)",
               [job_type, Jsonb(payload)])
    return int(rows[0]["id"])


def enqueue_many(url: str, job_type: str, payloads: list[dict[str, Any]]) -> list[int]:
    """One transaction, hence one wake-up."""
    items = [{"job_type": job_type, "payload": p} for p in payloads]
    rows = sql(url, "select id from jobs.enqueue_batch(%s::jsonb)", [Jsonb(items)])
    return [int(r["id"]) for r in rows]
