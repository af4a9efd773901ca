"""One profile's measurements: enqueue, claim+complete, and the bare loop, repeated.

Per repetition and batch size: empty the queue, enqueue the jobs through the RPC (timed:
that is the enqueue measurement), vacuum, claim+complete them all (timed), verify; then the
same number of rows through the bare loop on a plain table. Interleaving the two contenders
inside each repetition keeps slow drift (checkpoints, disk) from favouring either.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import psycopg
from _sql import load, run_script
from _workers import run_parallel

ENQUEUE_PER_CALL = {1: 1, 100: 1000}  # claim batch size -> enqueue items per call seeding it


@dataclass
class Config:
    jobs: int          # per measurement at batch 100 (and enqueue_batch)
    jobs_batch1: int   # per measurement at batch 1 (and enqueue one per call): commit-bound
    repetitions: int
    processes: int = 2
    batches: tuple[int, ...] = (1, 100)

    def jobs_for(self, batch: int) -> int:
        return self.jobs_batch1 if batch == 1 else self.jobs


@dataclass
class ProfileRun:
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    verifications: list[dict[str, Any]] = field(default_factory=list)


def claim_key(system: str, batch: int) -> str:
    return f"{system} claim+complete, batch {batch}"


def enqueue_key(per_call: int) -> str:
    return "enqueue, 1 per call" if per_call == 1 else f"enqueue_batch, {per_call:,} per call"


def admin(url: str, name: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(load(name), params)
        return cur.fetchall() if cur.description else []


def checkpoint(url: str, settle_seconds: float = 60.0) -> None:
    """Before a timed phase: let autovacuum finish what the last phase left it (up to
    settle_seconds), then checkpoint, so no phase shares the machine with either."""
    deadline = time.monotonic() + settle_seconds
    while admin(url, "autovacuum_running")[0][0] and time.monotonic() < deadline:
        time.sleep(0.1)
    admin(url, "checkpoint")


def vacuum(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        run_script(conn, "vacuum")


def _verify_supajobs(url: str, jobs: int, label: str) -> dict[str, Any]:
    row = admin(url, "sj_verify")[0]
    keys = ("jobs", "succeeded", "executions", "executions_completed",
            "jobs_without_exactly_one_execution")
    found = dict(zip(keys, (int(v) for v in row), strict=True))
    print(f"    verify {label}: {found}", flush=True)
    want = {"jobs": jobs, "succeeded": jobs, "executions": jobs, "executions_completed": jobs,
            "jobs_without_exactly_one_execution": 0}
    if found != want:
        raise RuntimeError(f"{label}: verification failed, expected {want}, got {found}")
    return {"run": label, **found}


def _verify_bare(url: str, jobs: int, label: str) -> dict[str, Any]:
    rows, done = (int(v) for v in admin(url, "bare_verify")[0])
    print(f"    verify {label}: rows={rows} done={done}", flush=True)
    if rows != jobs or done != jobs:
        raise RuntimeError(f"{label}: verification failed, {done} of {rows} rows done")
    return {"run": label, "rows": rows, "done": done}


def timed(run: ProfileRun, key: str, kind: str, url: str, cfg: Config, batch: int,
           jobs: int) -> None:
    seconds, handled = run_parallel(kind, url, cfg.processes, batch, jobs)
    if handled != jobs:
        raise RuntimeError(f"{key}: handled {handled} jobs, expected {jobs}")
    rate = handled / seconds
    run.samples[key].append(rate)
    print(f"  {key:<40} {handled:>7} jobs in {seconds:7.2f} s = {rate:9.0f} jobs/s", flush=True)


def run_profile(url: str, cfg: Config) -> ProfileRun:
    run = ProfileRun()
    for rep in range(1, cfg.repetitions + 1):
        print(f" repetition {rep}/{cfg.repetitions}", flush=True)
        for batch in cfg.batches:
            jobs, per_call = cfg.jobs_for(batch), ENQUEUE_PER_CALL.get(batch, 1000)
            admin(url, "sj_reset")
            timed(run, enqueue_key(per_call), "enqueue", url, cfg, per_call, jobs)
            vacuum(url)
            key = claim_key("supajobs", batch)
            timed(run, key, "claim", url, cfg, batch, jobs)
            run.verifications.append(_verify_supajobs(url, jobs, f"{key} #{rep}"))

            admin(url, "bare_reset")
            admin(url, "bare_seed", {"jobs": jobs})
            vacuum(url)
            key = claim_key("bare", batch)
            timed(run, key, "bare", url, cfg, batch, jobs)
            run.verifications.append(_verify_bare(url, jobs, f"{key} #{rep}"))
    return run
