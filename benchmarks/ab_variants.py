"""A/B experiment for the profiling report: the migrated schema as is, next to variants with
fewer index writes per attempt (sql/variant_indexes.sql) and generic plans inside claim and
complete (sql/variant_generic_plans.sql). The variants live only in throwaway databases of
the benchmark cluster; the migrations are not touched.

Usage: .venv/bin/python benchmarks/ab_variants.py   (durable settings, 2 processes)
Environment: BENCH_JOBS (default 20000), BENCH_JOBS_BATCH1 (default 2000),
BENCH_REPETITIONS (default 3).
"""

from __future__ import annotations

import os
import statistics
from collections import defaultdict

import psycopg
from _cluster import bench_cluster, check_profile, effective_settings, use_profile
from _sql import load, run_script
from _suite import Config, ProfileRun, admin, claim_key, timed, vacuum

from supajobs.migrations import db_push

VARIANTS: dict[str, list[str]] = {"as migrated": [], "fewer index writes": ["variant_indexes"],
            "fewer index writes + generic plans": ["variant_indexes", "variant_generic_plans"]}


def _prepare(admin_url: str, url_for: dict[str, str]) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        run_script(conn, "ab_create_databases")
    for name, scripts in list(VARIANTS.items())[1:]:  # the cluster's own database is the baseline
        db_push(url_for[name])
        with psycopg.connect(url_for[name], autocommit=True) as conn:
            conn.execute(load("bench_job_type"))
            run_script(conn, "bare_setup")
            for script in scripts:
                run_script(conn, script)


def main() -> None:
    cfg = Config(jobs=int(os.environ.get("BENCH_JOBS", "20000")),
                 jobs_batch1=int(os.environ.get("BENCH_JOBS_BATCH1", "2000")),
                 repetitions=int(os.environ.get("BENCH_REPETITIONS", "3")))
    runs = {name: ProfileRun() for name in VARIANTS}
    wal_per_job: dict[tuple[str, int], list[float]] = defaultdict(list)
    with bench_cluster() as cluster:
        use_profile(cluster, "durable")
        check_profile("durable", effective_settings(cluster.url()))
        names = list(VARIANTS)
        url_for = {names[0]: cluster.url(), names[1]: cluster.url("bench_ab_1"),
                   names[2]: cluster.url("bench_ab_2")}
        _prepare(cluster.url(), url_for)
        for rep in range(1, cfg.repetitions + 1):
            print(f" repetition {rep}/{cfg.repetitions}", flush=True)
            for name in VARIANTS:
                for batch in cfg.batches:
                    url, jobs = url_for[name], cfg.jobs_for(batch)
                    admin(url, "sj_reset")
                    timed(runs[name], "seed", "enqueue", url, cfg, 1000, jobs)
                    vacuum(url)
                    print(f"  [{name}]", end="")
                    lsn = admin(url, "wal_lsn")[0][0]
                    timed(runs[name], claim_key("supajobs", batch), "claim", url, cfg, batch, jobs)
                    wal = int(admin(url, "wal_since", {"lsn": lsn})[0][0])
                    wal_per_job[(name, batch)].append(wal / jobs)
    print()
    for batch in cfg.batches:
        key = claim_key("supajobs", batch)
        base = statistics.median(runs[names[0]].samples[key])
        for name in VARIANTS:
            values = runs[name].samples[key]
            median = statistics.median(values)
            wal_bytes = statistics.median(wal_per_job[(name, batch)])
            print(f"{key:<36} {name:<36} median {median:8.0f} jobs/s (min {min(values):.0f}, "
                  f"max {max(values):.0f}) = {median / base:.0%} of as-migrated; "
                  f"WAL {wal_bytes:.0f} B/job")


if __name__ == "__main__":
    main()
