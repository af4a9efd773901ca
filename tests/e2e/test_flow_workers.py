"""Several worker processes claim one rate-limited type at once against the real PostgreSQL:
counted from the history, no window of any limit ever holds more starts than it allows, no
key runs more jobs at once than key_concurrency, and every job runs once (docs/flow-control.md).

"contested" is the race: six workers, one key, instant jobs, so each window opening sends
every worker to claim at once. With the bucket row's lock taken out of jobs._claim_flow it
fails (16 of 100 one-second windows held more than 20 starts when tried)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from supajobs import JobTypeOptions, RateLimit
from supajobs_dev.flowcheck.fleet import fleet
from supajobs_dev.flowcheck.probe import JOB_TYPE
from supajobs_dev.flowcheck.windows import attempts, by_key, most_running, windows_over


@dataclass(frozen=True)
class Scenario:
    windows: tuple[RateLimit, ...]
    key_concurrency: int | None
    keys: tuple[str, ...]
    per_key: int
    workers: int
    sleep: float
    min_span: float  # the (n·starts+1)-th start is >= n·per_seconds after the first


SCENARIOS = {
    "contested": Scenario((RateLimit(starts=20, per_seconds=1), RateLimit(starts=50, per_seconds=3)),
                          None, ("a",), 100, 6, 0.0, 4.0),
    "keys": Scenario((RateLimit(starts=3, per_seconds=0.5), RateLimit(starts=8, per_seconds=2)),
                     2, ("a", "b", "c"), 24, 4, 0.05, 4.0),
}


def succeeded(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("select count(*) from jobs.jobs where job_type = %s"
                           " and status = 'succeeded'", [JOB_TYPE]).fetchone()
    return int(row[0]) if row else 0


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_workers_never_exceed_a_window_or_the_key_concurrency(db_url: str, tmp_path: Path,
                                                              name: str) -> None:
    s = SCENARIOS[name]
    options = JobTypeOptions(rate_limits=s.windows, rate_key="account", timeout_seconds=30,
                             key_concurrency=s.key_concurrency)
    with psycopg.connect(db_url, autocommit=True) as conn:  # declared before the jobs exist
        conn.execute("select jobs.upsert_job_type(name => %s, timeout_seconds => 30,"
                     " rate_limits => %s::jsonb, rate_key => 'account', key_concurrency => %s)",
                     [JOB_TYPE, json.dumps([w.model_dump() for w in s.windows]),
                      s.key_concurrency])
    total = s.per_key * len(s.keys)
    with fleet(db_url, s.workers, options, tmp_path, sleep=s.sleep, concurrency=8):
        time.sleep(1.5)  # every worker is listening
        with psycopg.connect(db_url, autocommit=True) as conn:
            items = [{"job_type": JOB_TYPE, "payload": {"account": k}}
                     for _ in range(s.per_key) for k in s.keys]
            conn.execute("select jobs.enqueue_batch(%s::jsonb)", [json.dumps(items)])
        deadline = time.monotonic() + 60
        while succeeded(db_url) < total:
            assert time.monotonic() < deadline, f"only {succeeded(db_url)} of {total} jobs ran"
            time.sleep(0.1)
    found = attempts(db_url, JOB_TYPE)
    assert len(found) == total  # once each: nothing lost, nothing run twice
    keys = by_key(found)
    assert sorted(keys) == sorted(s.keys)
    over = {(key, w.starts, w.per_seconds): windows_over([a.started_at for a in runs],
                                                         w.starts, w.per_seconds)
            for key, runs in keys.items() for w in s.windows}
    assert set(over.values()) == {0}, over
    if s.key_concurrency is not None:
        assert max(most_running(runs) for runs in keys.values()) <= s.key_concurrency
    assert len({a.worker_id for a in found}) >= 2  # the workers really competed
    for runs in keys.values():
        assert (runs[-1].started_at - runs[0].started_at).total_seconds() >= s.min_span
