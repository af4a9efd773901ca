"""Four worker processes claim one rate-limited type at once against the real PostgreSQL:
counted from the history, no window of any limit ever holds more starts than it allows, no
key runs more jobs at once than key_concurrency, and every job runs (docs/flow-control.md)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import psycopg

from supajobs import JobTypeOptions, RateLimit
from supajobs_dev.flowcheck.fleet import fleet
from supajobs_dev.flowcheck.probe import JOB_TYPE
from supajobs_dev.flowcheck.windows import attempts, by_key, most_running, windows_over

WINDOWS = (RateLimit(starts=3, per_seconds=0.5), RateLimit(starts=8, per_seconds=2))
OPTIONS = JobTypeOptions(rate_limits=WINDOWS, rate_key="account", key_concurrency=2,
                         timeout_seconds=30)
KEYS, PER_KEY = ("a", "b", "c"), 24


def succeeded(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("select count(*) from jobs.jobs where job_type = %s"
                           " and status = 'succeeded'", [JOB_TYPE]).fetchone()
    return int(row[0]) if row else 0


def test_four_workers_never_exceed_a_window_or_the_key_concurrency(db_url: str,
                                                                   tmp_path: Path) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:  # declared before the jobs exist
        conn.execute("select jobs.upsert_job_type(name => %s, timeout_seconds => 30,"
                     " rate_limits => %s::jsonb, rate_key => 'account', key_concurrency => 2)",
                     [JOB_TYPE, json.dumps([w.model_dump() for w in WINDOWS])])
    with fleet(db_url, 4, OPTIONS, tmp_path, sleep=0.05, concurrency=8):
        time.sleep(1.5)  # every worker is listening
        with psycopg.connect(db_url, autocommit=True) as conn:
            items = [{"job_type": JOB_TYPE, "payload": {"account": k}}
                     for _ in range(PER_KEY) for k in KEYS]
            conn.execute("select jobs.enqueue_batch(%s::jsonb)", [json.dumps(items)])
        deadline = time.monotonic() + 60
        while succeeded(db_url) < PER_KEY * len(KEYS):
            assert time.monotonic() < deadline, f"only {succeeded(db_url)} jobs ran"
            time.sleep(0.1)
    found = attempts(db_url, JOB_TYPE)
    assert len(found) == PER_KEY * len(KEYS)  # once each: nothing was lost or run twice
    keys = by_key(found)
    assert sorted(keys) == list(KEYS)
    over = {(key, w.starts, w.per_seconds): windows_over([a.started_at for a in runs],
                                                         w.starts, w.per_seconds)
            for key, runs in keys.items() for w in WINDOWS}
    assert set(over.values()) == {0}, over
    assert max(most_running(runs) for runs in keys.values()) <= 2
    assert len({a.worker_id for a in found}) >= 2  # the workers really competed
    # Each key's 24 starts took at least the windows' minimum: 8 per 2 s -> 2 full windows.
    for runs in keys.values():
        span = (runs[-1].started_at - runs[0].started_at).total_seconds()
        assert span >= 4.0
