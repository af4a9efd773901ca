"""`supajobs-worker listen`: LISTEN/NOTIFY wakes the same claim / execute / record loop."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from e2e.worker_harness import (
    ENV,
    enqueue,
    enqueue_many,
    executions,
    job,
    prepare,
    sql,
    stop,
    wait_for,
)
from supajobs_dev.cluster import free_port

JOBS = 3000


def start_listener(db_url: str, log: Path, concurrency: int) -> subprocess.Popen[str]:
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "supajobs_worker.main", "listen", "--import",
             "e2e.worker_handlers", "--database-url", db_url, "--worker-id", "listener",
             "--concurrency", str(concurrency), "--log-level", "WARNING"],
            stdout=out, stderr=subprocess.STDOUT, text=True, env=ENV)


def test_listen_mode_runs_a_burst_once_each_and_stops_cleanly(db_url: str,
                                                             tmp_path: Path) -> None:
    prepare(db_url, free_port(), standin=False)  # no webhooks: NOTIFY only
    log = tmp_path / "listen.log"
    worker = start_listener(db_url, log, concurrency=200)
    try:
        first = enqueue(db_url, "e2e_sleep", {"seconds": 0})
        wait_for(lambda: job(db_url, first)["status"] == "succeeded")  # it is listening
        started = time.monotonic()
        ids = enqueue_many(db_url, "e2e_noop", [{}] * JOBS)
        wait_for(lambda: sql(db_url, "select count(*) as n from jobs.jobs where job_type ="
                                     " 'e2e_noop' and status = 'succeeded'")[0]["n"] == JOBS,
                 timeout=60, interval=0.05)
        elapsed = time.monotonic() - started
    finally:
        code = stop(worker, signal.SIGTERM)
    print(f"\nlisten mode: {JOBS} no-op jobs in {elapsed:.2f} s = {JOBS / elapsed:.0f} jobs/s")
    assert code == 0, log.read_text()
    counts = sql(db_url, "select status, count(*) as n from jobs.job_executions"
                         " where job_type = 'e2e_noop' group by status")
    assert counts == [{"status": "completed", "n": JOBS}]
    assert [x["status"] for x in executions(db_url, ids[0])] == ["completed"]
    assert sql(db_url, "select mode, stopped_at is not null as stopped from jobs.workers")[0] \
        == {"mode": "listen", "stopped": True}
