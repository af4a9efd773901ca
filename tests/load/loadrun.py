"""Sustained load through the webhook path: enqueue at a steady rate for a while, with real
handler times, and watch the backlog, the success rate, the latency and the workers' memory.

Same real parts as the chaos run (workers under uvicorn, the relay, a balancer), no faults.
"""

from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from psycopg.types.json import Jsonb

from chaos import db
from chaos.balancer import Balancer
from chaos.processes import SECRET, WorkerSlot, start_relay
from chaos.sweeper import Sweeper
from load.verdict import judge, latency
from supajobs_dev.cluster import free_port

BACKLOG = ("select count(*) filter (where status in ('queued', 'running')) as backlog,"
           " count(*) filter (where status = 'succeeded') as done from jobs.jobs")


@dataclass(frozen=True)
class LoadConfig:
    jobs_per_minute: int = 10_000
    seconds: float = 60.0
    workers: int = 3
    concurrency: int = 16
    lease_seconds: int = 30
    sleep_ms: tuple[int, int] = (10, 200)
    tick: float = 0.1           # enqueue what is due every tick (one transaction each)
    sample_every: float = 5.0
    drain_seconds: float = 60.0
    sweep_every: float = 10.0   # pg_cron with seconds; a safety net, not the wake-up path
    seed: int = 1


def run_load(db_url: str, logs: Path, config: LoadConfig) -> dict[str, Any]:
    rng = random.Random(config.seed)
    slots = [WorkerSlot(f"w{i + 1}", free_port(), db_url, logs, config.concurrency,
                        config.lease_seconds) for i in range(config.workers)]
    balancer = Balancer([s.port for s in slots]).start()
    db.prepare(db_url, balancer.url, SECRET)
    for slot in slots:
        slot.start()
    for slot in slots:
        slot.wait_healthy()
    relay = start_relay(db_url, logs)
    sweeper = Sweeper(db_url, config.sweep_every).start()
    samples: list[dict[str, Any]] = []
    enqueued, started = 0, time.monotonic()
    next_sample = 0.0
    try:
        while (now := time.monotonic() - started) < config.seconds + config.drain_seconds:
            due = int(min(now, config.seconds) * config.jobs_per_minute / 60)
            if due > enqueued:
                items = [{"job_type": "chaos_effect",
                          "payload": {"sleep_ms": rng.randint(*config.sleep_ms)}}
                         for _ in range(due - enqueued)]
                db.query(db_url, "select count(*) from jobs.enqueue_batch(%s::jsonb)",
                         [Jsonb(items)])
                enqueued = due
            if now >= next_sample:
                row = db.query(db_url, BACKLOG)[0]
                samples.append({"t": round(now, 1), "enqueued": enqueued,
                                "backlog": int(row["backlog"]), "succeeded": int(row["done"]),
                                "rss_mb": [round((s.rss_bytes() or 0) / 2**20, 1) for s in slots]})
                next_sample += config.sample_every
                if now > config.seconds and int(row["done"]) >= enqueued:
                    break
            time.sleep(max(0.0, config.tick - (time.monotonic() - started - now)))
    finally:
        sweeper.stop()
        relay.stop()
        for slot in slots:
            slot.stop()
        balancer.stop()
    return {"config": asdict(config), "enqueued": enqueued, "samples": samples,
            "latency": latency(db_url), "balancer": dict(balancer.stats),
            **judge(db_url, config.seconds, enqueued, samples)}
