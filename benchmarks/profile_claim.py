"""Where enqueue and claim+complete spend their time, from pg_stat_statements with track=all
(so the statements inside jobs.enqueue / claim / complete_jobs are listed too), over one run
of each contender.

Usage: .venv/bin/python benchmarks/profile_claim.py   (durable settings, 2 processes)
Environment: BENCH_JOBS (default 20000), BENCH_BATCH (default 100), BENCH_TOP (default 12).
"""

from __future__ import annotations

import os
from typing import Any

import psycopg
from _cluster import bench_cluster, check_profile, effective_settings, start_with
from _sql import load, run_script
from _suite import ENQUEUE_PER_CALL, Config, ProfileRun, admin, enqueue_key, timed, vacuum

PROFILING = {"shared_preload_libraries": "pg_cron,pg_stat_statements",
             "pg_stat_statements.track": "all", "pg_stat_statements.track_utility": "off",
             "pg_stat_statements.track_planning": "on"}


def _top(url: str, top: int) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(load("profile_top"), {"top": top}).fetchall()


def _print_top(title: str, rows: list[tuple[Any, ...]]) -> None:
    print(f"\n-- {title}")
    print(f"{'calls':>7} {'total ms':>10} {'plan ms':>9} {'mean ms':>9} {'rows':>8} {'blocks':>9} "
          f"{'wal rec':>8} {'wal bytes':>10}  query")
    for calls, total, plan, mean, n, blocks, wal_rec, wal_bytes, query in rows:
        print(f"{calls:>7} {total:>10} {plan:>9} {mean:>9} {n:>8} {blocks:>9} {wal_rec:>8} "
              f"{int(wal_bytes):>10}  {query}")


def main() -> None:
    jobs = int(os.environ.get("BENCH_JOBS", "20000"))
    batch = int(os.environ.get("BENCH_BATCH", "100"))
    top = int(os.environ.get("BENCH_TOP", "12"))
    cfg = Config(jobs=jobs, jobs_batch1=jobs, repetitions=1)
    run = ProfileRun()
    with bench_cluster() as cluster:
        url = cluster.url()
        cluster.stop()
        start_with(cluster, PROFILING)
        check_profile("durable", effective_settings(url))
        with psycopg.connect(url, autocommit=True) as conn:
            run_script(conn, "profile_setup")

        admin(url, "sj_reset")
        admin(url, "profile_reset")
        per_call = ENQUEUE_PER_CALL.get(batch, 1000)
        timed(run, enqueue_key(per_call), "enqueue", url, cfg, per_call, jobs)
        _print_top(f"{enqueue_key(per_call)}: top statements", _top(url, top))
        vacuum(url)
        admin(url, "profile_reset")
        timed(run, f"supajobs claim+complete, batch {batch}", "claim", url, cfg, batch, jobs)
        _print_top(f"supajobs, batch {batch}: top statements", _top(url, top))

        admin(url, "bare_reset")
        admin(url, "bare_seed", {"jobs": jobs})
        vacuum(url)
        admin(url, "profile_reset")
        timed(run, f"bare claim+complete, batch {batch}", "bare", url, cfg, batch, jobs)
        _print_top(f"bare loop, batch {batch}: top statements", _top(url, top))


if __name__ == "__main__":
    main()
