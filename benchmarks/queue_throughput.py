"""Queue throughput: supajobs' claim/complete and enqueue RPCs next to a bare SKIP LOCKED loop.

Starts a throwaway PostgreSQL 15 cluster, applies the migrations with `supabase db push`,
and measures, for each durability profile (see _cluster.py), with 2 worker processes:
  - claim+complete of no-op jobs through jobs.claim / jobs.complete_jobs (batch 1 and 100),
  - the bare loop `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)` on a plain
    table, same batch sizes,
  - enqueue (jobs.enqueue one per call; jobs.enqueue_batch 1,000 per call).

Usage: .venv/bin/python benchmarks/queue_throughput.py   (or `make bench`)
Jobs per measurement: 20,000 at batch 100; 2,000 at batch 1, where every job is two commits
and a durable run would take minutes per measurement (rates there are per-commit steady state).
Environment: BENCH_QUICK=1 (one repetition; 5,000 jobs, 1,000 at batch 1), BENCH_JOBS,
BENCH_JOBS_BATCH1 (BENCH_JOBS_BATCH1=20000 for the full-size batch-1 run), BENCH_REPETITIONS,
BENCH_PROFILES=durable,fast (default both), BENCH_OUTPUT (default results/queue_throughput.json).
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _cluster import (
    PROFILE_LABELS,
    PROFILES,
    bench_cluster,
    check_profile,
    effective_settings,
    use_profile,
)
from _report import format_table, machine, summarize, verdicts
from _suite import Config, run_profile

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "queue_throughput.json"


def _config() -> tuple[Config, list[str]]:
    quick = os.environ.get("BENCH_QUICK") == "1"
    jobs = int(os.environ.get("BENCH_JOBS", "5000" if quick else "20000"))
    jobs1 = int(os.environ.get("BENCH_JOBS_BATCH1", "1000" if quick else "2000"))
    reps = int(os.environ.get("BENCH_REPETITIONS", "1" if quick else "3"))
    profiles = os.environ.get("BENCH_PROFILES", ",".join(PROFILES)).split(",")
    unknown = [p for p in profiles if p not in PROFILES]
    if unknown or min(jobs, jobs1) < 2 or reps < 1:
        raise SystemExit(f"bad settings: BENCH_PROFILES may hold {PROFILES} (got {unknown}), "
                         f"BENCH_JOBS and BENCH_JOBS_BATCH1 >= 2 (got {jobs}, {jobs1}), "
                         f"BENCH_REPETITIONS >= 1 (got {reps})")
    return Config(jobs=jobs, jobs_batch1=jobs1, repetitions=reps), profiles


def main() -> None:
    cfg, profiles = _config()
    started = time.monotonic()
    report: dict[str, Any] = {
        "benchmark": "queue_throughput", "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "make bench  (= .venv/bin/python benchmarks/queue_throughput.py)",
        "quick": os.environ.get("BENCH_QUICK") == "1", "machine": machine(),
        "config": {"jobs_batch100": cfg.jobs, "jobs_batch1": cfg.jobs_batch1,
                   "repetitions": cfg.repetitions,
                   "processes": cfg.processes, "batches": list(cfg.batches)},
        "profiles": {},
    }
    tables: list[str] = []
    with bench_cluster() as cluster:
        url = cluster.url()
        for profile in profiles:
            use_profile(cluster, profile)
            settings = effective_settings(url)
            check_profile(profile, settings)
            print(f"\n== profile {profile}: {PROFILE_LABELS[profile]}", flush=True)
            print("   in effect: " + ", ".join(f"{k}={v['setting']} ({v['source']})"
                                                for k, v in settings.items()), flush=True)
            load_before = os.getloadavg()
            run = run_profile(url, cfg)
            rows = summarize(run.samples, cfg.batches)
            report["profiles"][profile] = {"label": PROFILE_LABELS[profile],
                                           "settings": settings, "results": rows,
                                           "load_average_1m": [round(load_before[0], 2),
                                                               round(os.getloadavg()[0], 2)],
                                           "verdicts": verdicts(rows),
                                           "verifications": run.verifications}
            tables.append(f"\n{profile}: {PROFILE_LABELS[profile]}\n{format_table(rows)}\n"
                          + "\n".join(verdicts(rows)))
    report["duration_seconds"] = round(time.monotonic() - started, 1)
    output = Path(os.environ.get("BENCH_OUTPUT", DEFAULT_OUTPUT))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    print("\n".join(tables))
    print(f"\n{cfg.jobs:,} jobs (batch 100), {cfg.jobs_batch1:,} (batch 1) x {cfg.repetitions} "
          f"repetition(s), {cfg.processes} processes; took {report['duration_seconds']} s; "
          f"wrote {output}")


if __name__ == "__main__":
    main()
