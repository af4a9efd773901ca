"""A worker killed mid-job (SIGKILL) or stopped (SIGTERM): the job is never lost."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from e2e.worker_harness import (
    enqueue,
    enqueue_many,
    executions,
    job,
    prepare,
    relay,
    running,
    sql,
    start_worker,
    stop,
    wait_for,
)
from supajobs_dev.cluster import free_port

LEASE = 3  # seconds; recovery is bounded by the lease, plus one sweep and the retry backoff


def test_killed_worker_job_is_finished_by_another_after_lease_expiry(
        db_url: str, tmp_path: Path) -> None:
    port = free_port()
    prepare(db_url, port)
    marker = tmp_path / "started"
    with relay(db_url):
        first = start_worker(db_url, tmp_path, port=port, lease=LEASE, name="doomed")
        job_id = enqueue(db_url, "e2e_sleep", {"seconds": 60, "later_seconds": 0,
                                               "marker": str(marker)})
        wait_for(marker.exists)
        stop(first.process, signal.SIGKILL)
        killed_at = time.monotonic()
        with running(db_url, tmp_path, port=port, lease=LEASE, name="rescuer"):
            # pg_cron runs jobs.sweep() in production; here the test is the sweeper.
            def finished() -> bool:
                sql(db_url, "select jobs.sweep()")
                return bool(job(db_url, job_id)["status"] == "succeeded")

            wait_for(finished, timeout=30, interval=0.25)
            recovery = time.monotonic() - killed_at
    print(f"\nrecovery after SIGKILL: {recovery:.2f} s (lease {LEASE} s)")
    history = executions(db_url, job_id)
    assert [(x["worker_id"], x["status"]) for x in history] == [
        ("doomed", "failed"), ("rescuer", "completed")]
    assert "lease expired" in history[0]["error_message"]
    assert recovery < 30


def test_sigterm_finishes_short_jobs_and_releases_long_ones(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    prepare(db_url, port)
    short_marker, long_marker = tmp_path / "short", tmp_path / "long"
    with relay(db_url):
        worker = start_worker(db_url, tmp_path, port=port, grace=1.5, name="leaving")
        short, long = enqueue_many(db_url, "e2e_sleep", [
            {"seconds": 0.5, "marker": str(short_marker)},
            {"seconds": 60, "later_seconds": 0, "marker": str(long_marker)}])
        wait_for(lambda: short_marker.exists() and long_marker.exists())
        # uvicorn exits by re-raising the SIGTERM it caught, after our graceful shutdown
        assert stop(worker.process, signal.SIGTERM) in (0, -signal.SIGTERM), worker.log()
        assert "released" in worker.log()  # the database below says exactly what
        assert job(db_url, short)["status"] == "succeeded"
        released = job(db_url, long)
        assert released["status"] == "queued" and released["worker_id"] is None
        assert [x["status"] for x in executions(db_url, long)] == ["released"]
        with running(db_url, tmp_path, port=port, name="next"):  # starting is a wake-up too
            wait_for(lambda: job(db_url, long)["status"] == "succeeded")
    assert [x["status"] for x in executions(db_url, long)] == ["released", "completed"]
    # a release is not a failure: the attempt budget grew with it
    assert job(db_url, long)["attempt_limit"] == job(db_url, long)["max_attempts"] + 1
