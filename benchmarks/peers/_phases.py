"""The worker configurations compared, and one configuration's run: start the worker, warm it
up, sample idle RSS, measure wake latency (some configurations) and processing throughput."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import psycopg
from _measure import process_rate, wake_latency, warm_up
from _proc import PEERS, WorkerSpec, start, stop
from _sql import load
from _suite import checkpoint
from _systems import System

SECRET = "bench-webhook-secret-0123456789"
WAKE_RATE = 50.0  # jobs per second sent to the idle worker


def specs(url: str, port: int) -> list[WorkerSpec]:
    sj = ["-m", "supajobs_worker.main"]
    common = ["--import", "bench_handlers", "--database-url", url, "--log-level", "WARNING"]
    flush = "results batched (complete_jobs every 5 ms or 100 results)"
    pgq = str(PEERS / "pgqueuer_worker.py")
    return [
        WorkerSpec("supajobs listen, concurrency 8 (default)", "supajobs",
                   [*sj, "listen", *common, "--concurrency", "8", "--worker-id", "bench-l8"],
                   f"LISTEN/NOTIFY, --concurrency 8: claims up to the free slots; {flush}",
                   key="supajobs_listen_c8"),
        WorkerSpec("supajobs listen, concurrency 100", "supajobs",
                   [*sj, "listen", *common, "--concurrency", "100", "--worker-id", "bench-l100"],
                   f"LISTEN/NOTIFY, --concurrency 100: claims up to 100; {flush}",
                   wake=True, key="supajobs_listen_c100"),
        WorkerSpec("supajobs webhook, concurrency 100", "supajobs",
                   [*sj, "serve", *common, "--concurrency", "100", "--worker-id", "bench-w100",
                    "--host", "127.0.0.1", "--port", str(port), "--webhook-secret", SECRET],
                   f"uvicorn, woken by the pg_net stand-in + relay, --concurrency 100; {flush}",
                   health_url=f"http://127.0.0.1:{port}/healthz", wake=True,
                   key="supajobs_webhook_c100"),
        WorkerSpec("pgqueuer, batch_size 10 (default)", "pgqueuer", [pgq, url, "10", "asyncpg"],
                   "PgQueuer.from_asyncpg_connection, run(batch_size=10), one entrypoint",
                   wake=True, key="pgqueuer_b10"),
        WorkerSpec("pgqueuer, batch_size 100", "pgqueuer", [pgq, url, "100", "asyncpg"],
                   "PgQueuer.from_asyncpg_connection, run(batch_size=100), one entrypoint",
                   key="pgqueuer_b100"),
        WorkerSpec("procrastinate, concurrency 10", "procrastinate",
                   [str(PEERS / "procrastinate_app.py"), "10"],
                   "App(PsycopgConnector), run_worker_async(concurrency=10), listen_notify on",
                   wake=True, key="procrastinate_c10"),
    ]


def set_dispatch(url: str, worker_url: str | None) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(load("cmp_dispatch"),
                     {"url": worker_url, "secret": SECRET if worker_url else None})


async def run_spec(spec: WorkerSpec, system: System, url: str, tmp: Path, jobs: int,
                   wake_jobs: int) -> dict[str, Any]:
    webhook = spec.health_url is not None
    relay = [["-m", "supajobs_dev.relay", "--db-url", url, "--poll-interval", "0.5",
              "--log-level", "WARNING"]] if webhook else []
    system.reset()
    if webhook:
        set_dispatch(url, spec.health_url.replace("/healthz", "/webhook"))  # type: ignore[union-attr]
    latency_file = tmp / f"{spec.key}.latency"
    running = start(spec, tmp, latency_file, relay)
    result: dict[str, Any] = {}
    try:
        await warm_up(system)
        system.reset()
        running.rss.phase = "idle"
        await asyncio.sleep(1.0)
        if spec.wake:
            running.rss.phase = "wake"
            result["wake"] = await wake_latency(system, latency_file, wake_jobs, WAKE_RATE)
            system.reset()
        running.rss.phase = "load"
        checkpoint(url)  # every configuration drains right after one (see _run._enqueue)
        result["process_jps"] = await process_rate(system, jobs, timeout=600)
        running.rss.phase = "after"
        result["rss_idle_mb"] = round(running.rss.peaks.get("idle", 0.0), 1)
        result["rss_load_mb"] = round(running.rss.peaks.get("load", 0.0), 1)
    except Exception:
        print(f"--- {spec.label} log:\n{running.log.read_text()[-3000:]}", file=sys.stderr)
        raise
    finally:
        stop(running)
        if webhook:
            set_dispatch(url, None)
        system.reset()
    return result

