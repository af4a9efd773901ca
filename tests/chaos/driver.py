"""The chaos driver: jobs through webhook workers while workers die and PostgreSQL restarts.

Faults: a random worker SIGKILLed every `kill_every` seconds (and started again at once,
under a new worker id), PostgreSQL restarted once, the relay dropping and duplicating
webhooks. With a pooler, the workers (claims, results, the handler's effects) go through
pgbouncer in transaction mode, and pgbouncer itself is restarted once. `jobs.sweep()` runs every second (pg_cron's part). The run ends when every job is
finished or the deadline passes; checks.verify then says what was lost or doubled.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from psycopg.types.json import Jsonb

from chaos import db
from chaos.balancer import Balancer
from chaos.checks import verify
from chaos.config import ChaosConfig
from chaos.logs import digest
from chaos.processes import SECRET, WorkerSlot, start_relay
from chaos.report import ChaosResult, recovery_times
from chaos.sweeper import Sweeper
from supajobs_dev.cluster import Cluster, free_port
from support.pgbouncer import Pgbouncer

POOLED_ENV = {"SUPAJOBS_DB_PREPARE": "off"}


def _batch(config: ChaosConfig, rng: random.Random, start: int, count: int) -> list[Any]:
    return [{"job_type": "chaos_effect", "idempotency_key": f"chaos-{i}",
             "payload": {"sleep_ms": rng.randint(*config.sleep_ms), "poison": config.is_poison(i)}}
            for i in range(start, start + count)]


class ChaosRun:
    def __init__(self, cluster: Cluster, db_url: str, logs: Path, config: ChaosConfig,
                 pooler: Pgbouncer | None = None) -> None:
        self.cluster, self.db_url, self.logs, self.config = cluster, db_url, logs, config
        self.pooler = pooler
        self.rng = random.Random(config.seed)
        worker_url = pooler.pooled(db_url) if pooler else db_url
        self.slots = [WorkerSlot(f"w{i + 1}", free_port(), worker_url, logs, config.concurrency,
                                 config.lease_seconds, env=POOLED_ENV if pooler else {})
                      for i in range(config.workers)]
        self.balancer = Balancer([s.port for s in self.slots])
        self.sweeper = Sweeper(db_url, config.sweep_every)
        self.kills: list[dict[str, Any]] = []
        self.restart: dict[str, Any] | None = None
        self.pooler_restart: dict[str, Any] | None = None
        self.enqueued = 0

    def run(self) -> ChaosResult:
        config = self.config
        self.balancer.start()
        db.prepare(self.db_url, self.balancer.url, SECRET)
        for slot in self.slots:
            slot.start()
        for slot in self.slots:
            slot.wait_healthy()
        relay = start_relay(self.db_url, self.logs, "--drop-rate", str(config.drop_rate),
                            "--duplicate-rate", str(config.duplicate_rate),
                            "--seed", str(config.seed))
        self.sweeper.start()
        started = time.monotonic()
        try:
            finished = self._loop(started)
        finally:
            elapsed = time.monotonic() - started
            self.sweeper.stop()
            relay.stop()
            for slot in self.slots:
                slot.stop()
            self.balancer.stop()
        checks = verify(self.db_url, config)
        return ChaosResult(config=config, finished=finished, seconds=elapsed, checks=checks,
                           kills=recovery_times(self.db_url, self.kills), restart=self.restart,
                           pooler_restart=self.pooler_restart,
                           balancer=dict(self.balancer.stats), sweeper=dict(self.sweeper.stats),
                           logs=digest(self.logs))

    def _loop(self, started: float) -> bool:
        config = self.config
        next_kill = config.first_kill_after
        while (now := time.monotonic() - started) < config.deadline:
            due = min(config.jobs, int(now * config.enqueue_per_second) + config.enqueue_batch)
            while self.enqueued < due:
                count = min(config.enqueue_batch, config.jobs - self.enqueued)
                items = _batch(config, self.rng, self.enqueued, count)
                db.query(self.db_url, "select count(*) from jobs.enqueue_batch(%s::jsonb)",
                         [Jsonb(items)])  # idempotency keys: a retried batch adds nothing
                self.enqueued += count
            if len(self.kills) < config.max_kills and now >= next_kill:
                self._kill_one()
                next_kill += config.kill_every
            if self.restart is None and config.restart_db_after is not None \
                    and now >= config.restart_db_after:
                self._restart_db()
            if self.pooler_restart is None and self.pooler is not None \
                    and config.restart_pooler_after is not None \
                    and now >= config.restart_pooler_after:
                self.pooler_restart = self._restart(self.pooler.restart)
            if self.enqueued == config.jobs and db.unfinished(self.db_url) == 0:
                return True
            time.sleep(0.2)
        return False

    def _kill_one(self) -> None:
        slot = self.rng.choice(self.slots)
        victim = slot.worker_id
        slot.kill()
        at = db.db_now(self.db_url)  # the process is gone: what it held stays held
        self.kills.append({"worker_id": victim, "at": at, "held": db.held_by(self.db_url, victim)})
        slot.start()

    def _restart_db(self) -> None:
        self.restart = self._restart(self.cluster.restart)

    def _restart(self, restart: Any) -> dict[str, Any]:
        before = db.db_now(self.db_url)
        t0 = time.monotonic()
        restart()
        return {"began": before, "seconds": round(time.monotonic() - t0, 3),
                "ended": db.db_now(self.db_url), "live_workers": [s.worker_id for s in self.slots]}
