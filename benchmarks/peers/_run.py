"""One repetition: enqueue rates of every system, the bare ceiling, every worker
configuration (order rotated per repetition so slow drift favours no one), claim latency."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _claim_latency import measure as claim_latency
from _measure import enqueue_rate
from _peer_clients import Pgqueuer, Procrastinate
from _phases import run_spec, specs
from _sj_client import Supajobs
from _suite import admin, checkpoint, vacuum
from _systems import System
from _workers import run_parallel


@dataclass
class Settings:
    quick: bool
    jobs: int
    enqueue_one_jobs: int
    wake_jobs: int
    backlog: int
    claims: int
    repetitions: int


def clients(url: str) -> dict[str, System]:
    return {"supajobs": Supajobs(url), "pgqueuer": Pgqueuer(url),
            "procrastinate": Procrastinate(url)}


def _load() -> float:
    return round(os.getloadavg()[0], 2)


async def _enqueue(systems: dict[str, System], cfg: Settings, url: str,
                   rep: int) -> dict[str, dict[str, float]]:
    """Each system in turn (the order rotated per repetition), each timed phase started
    right after a checkpoint, so none inherits another's checkpoint or write backlog."""
    out: dict[str, dict[str, float]] = {}
    names = list(systems)
    shift = rep % len(names)
    for name in names[shift:] + names[:shift]:
        system = systems[name]
        system.reset()
        checkpoint(url)
        one = await enqueue_rate(system, cfg.enqueue_one_jobs, 1)
        system.reset()
        checkpoint(url)
        batched = await enqueue_rate(system, cfg.jobs, 1000)
        system.reset()
        out[name] = {"one": round(one, 1), "batched": round(batched, 1)}
        print(f"  enqueue {name:<14} one per call {one:8.0f}/s   1,000 per call "
              f"{batched:8.0f}/s", flush=True)
    return out


def _ceiling(url: str, jobs: int) -> float:
    admin(url, "bare_reset")
    admin(url, "bare_seed", {"jobs": jobs})
    vacuum(url)
    seconds, handled = run_parallel("bare", url, 2, 100, jobs)
    admin(url, "bare_reset")
    if handled != jobs:
        raise RuntimeError(f"bare loop handled {handled} of {jobs}")
    print(f"  ceiling: bare SKIP LOCKED loop, 2 processes, batch 100: {jobs / seconds:8.0f}/s",
          flush=True)
    return jobs / seconds


async def one_repetition(url: str, port: int, tmp: Path, cfg: Settings,
                         rep: int) -> dict[str, Any]:
    systems = clients(url)
    load_before = _load()
    run: dict[str, Any] = {"enqueue": await _enqueue(systems, cfg, url, rep),
                           "ceiling_jps": round(_ceiling(url, cfg.jobs), 1), "workers": {}}
    all_specs = specs(url, port)
    run["specs"] = {s.key: {"label": s.label, "settings": s.settings} for s in all_specs}
    shift = rep % len(all_specs)
    for spec in all_specs[shift:] + all_specs[:shift]:
        result = await run_spec(spec, systems[spec.system], url, tmp, cfg.jobs, cfg.wake_jobs)
        run["workers"][spec.key] = result
        wake = result.get("wake")
        wake_text = (f"  wake p50/p95/p99 {wake['p50']}/{wake['p95']}/{wake['p99']} ms"
                     if wake else "")
        print(f"  {spec.label:<42} {result['process_jps']:8.0f} jobs/s  RSS idle "
              f"{result['rss_idle_mb']} MB, load {result['rss_load_mb']} MB{wake_text}",
              flush=True)
    run["claim_latency"] = claim_latency(url, cfg.backlog, cfg.claims)
    for key, value in run["claim_latency"].items():
        print(f"  claim latency {key:<18} p50 {value['p50']} ms  p95 {value['p95']} ms",
              flush=True)
    run["load_average_1m"] = [load_before, _load()]
    return run
