"""supajobs side by side with pgqueuer and procrastinate, on one throwaway database, one run.

Usage: .venv/bin/python benchmarks/compare.py
Measures (durable profile: fsync, synchronous_commit, full_page_writes on; see _cluster.py):
enqueue (one per call; 1,000 per call), processing of no-op jobs per worker configuration
(peers/_phases.py), wake latency (jobs sent one per call at 50/s to an idle worker), worker RSS
(idle, under load), claim latency with a 100,000-job backlog vs. an empty queue, and the bare
SKIP LOCKED loop (2 processes, batch 100) as the ceiling.
Environment: BENCH_QUICK=1 (one repetition, 5,000 jobs, 2,000 enqueued one per call, 200
wake-ups), BENCH_JOBS, BENCH_ENQUEUE_ONE_JOBS, BENCH_WAKE_JOBS, BENCH_BACKLOG,
BENCH_REPETITIONS, BENCH_OUTPUT (default results/latest.json).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "peers"))

from _cluster import bench_cluster, check_profile, effective_settings, use_profile  # noqa: E402
from _install import install_all  # noqa: E402
from _markdown import render  # noqa: E402
from _report import machine  # noqa: E402
from _run import Settings, one_repetition  # noqa: E402
from _summary import per_config, systems, verdicts  # noqa: E402

from supajobs_dev.cluster import free_port  # noqa: E402


def _settings() -> Settings:
    quick = os.environ.get("BENCH_QUICK") == "1"

    def env(name: str, quick_value: int, full_value: int) -> int:
        value = int(os.environ.get(name, quick_value if quick else full_value))
        if value < 1:
            raise SystemExit(f"{name} must be >= 1, got {value}")
        return value

    return Settings(quick=quick, jobs=env("BENCH_JOBS", 5000, 20000),
                    enqueue_one_jobs=env("BENCH_ENQUEUE_ONE_JOBS", 2000, 20000),
                    wake_jobs=env("BENCH_WAKE_JOBS", 200, 500),
                    backlog=env("BENCH_BACKLOG", 100_000, 100_000), claims=200,
                    repetitions=env("BENCH_REPETITIONS", 1, 3))


async def main() -> None:
    cfg = _settings()
    started = time.monotonic()
    runs: list[dict[str, Any]] = []
    with bench_cluster() as cluster, tempfile.TemporaryDirectory() as tmp:
        url = cluster.url()
        use_profile(cluster, "durable")
        settings = effective_settings(url)
        check_profile("durable", settings)
        await install_all(url)
        port = free_port()
        for rep in range(cfg.repetitions):
            print(f"\n== repetition {rep + 1}/{cfg.repetitions}", flush=True)
            runs.append(await one_repetition(url, port, Path(tmp), cfg, rep))
    configs = per_config(runs, list(runs[0]["workers"]))
    result = systems(runs, configs)
    ceiling = [r["ceiling_jps"] for r in runs]
    report: dict[str, Any] = {
        "benchmark": "compare", "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "make bench  (= .venv/bin/python benchmarks/compare.py)",
        "quick": cfg.quick, "settings": cfg.__dict__, "machine": machine(),
        "postgres_settings": settings,
        "load_average_1m": [r["load_average_1m"] for r in runs],
        **result, "configs": configs, "specs": runs[0]["specs"],
        "ceiling_jps": sorted(ceiling)[len(ceiling) // 2],
        "claim_latency": [r["claim_latency"] for r in runs], "runs": runs}
    report["ratio_process_vs_ceiling"] = round(result["supajobs"]["process_jps"]
                                               / report["ceiling_jps"], 3)
    report["verdicts"] = verdicts(result, report["ceiling_jps"])
    report["duration_seconds"] = round(time.monotonic() - started, 1)
    output = Path(os.environ.get("BENCH_OUTPUT", HERE / "results" / "latest.json"))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    table = render(report)
    output.with_suffix(".md").write_text(table)
    print("\n" + table)
    print(f"took {report['duration_seconds']} s; wrote {output} and {output.with_suffix('.md')}")


if __name__ == "__main__":
    asyncio.run(main())
