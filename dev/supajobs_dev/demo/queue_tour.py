"""A tour of the queue on a throwaway local database with pg_cron.

Brings up PostgreSQL 15 (pg_cron preloaded), applies the migrations with `supabase db push`,
enqueues a small receipt workflow (scan -> read 3 receipts -> file them, with dependencies),
then plays a worker: claims, runs, completes, fails once to show the retry, and prints the
jobs and their execution history.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from supajobs.migrations import db_push
from supajobs_dev.cluster import create_cluster, destroy_cluster
from supajobs_dev.project import create_roles


def _read(ref: str, file: str) -> dict[str, Any]:
    return {"job_type": "receipt_process", "ref": ref, "depends_on": ["scan"],
            "payload": {"file": file}}


WORKFLOW = [
    {"job_type": "email_scan", "ref": "scan", "payload": {"mailbox": "demo"}},
    _read("r1", "aws.pdf"), _read("r2", "jr.png"), _read("r3", "cafe.jpg"),
    {"job_type": "file_organize", "depends_on": ["r1", "r2", "r3"],
     "payload": {"month": "2026-11"}},
]


def say(text: str) -> None:
    print(text, flush=True)


def run_worker(conn: psycopg.Connection[dict[str, Any]], worker: str) -> int:
    """Claim and run until nothing is due; the jr.png receipt fails once, then succeeds."""
    ran = 0
    while True:
        claimed = conn.execute("select * from jobs.claim(worker_id => %s, batch_size => 10)",
                               [worker]).fetchall()
        if not claimed:
            return ran
        for job in claimed:
            ran += 1
            label = f"#{job['id']} {job['job_type']} {job['payload']} attempt {job['attempts']}"
            if job["payload"].get("file") == "jr.png" and job["attempts"] == 1:
                say(f"  x {label}: OCR engine busy (retryable)")
                conn.execute("select jobs.fail(worker_id => %s, job_id => %s, error => %s)",
                             [worker, job["id"], "OCR engine busy"])
                # Demo only: make the retry due now instead of after its backoff.
                conn.execute("reset role")
                conn.execute("update jobs.jobs set run_at = now() where id = %s", [job["id"]])
                conn.execute("set role service_role")
                continue
            say(f"  ✓ {label}")
            conn.execute("select jobs.complete(worker_id => %s, job_id => %s, result => %s)",
                         [worker, job["id"], Jsonb({"handled_by": worker})])


def show(conn: psycopg.Connection[dict[str, Any]]) -> None:
    say("\njobs:")
    for row in conn.execute("select id, job_type, status, attempts from jobs.jobs order by id"):
        say(f"  #{row['id']:<3} {row['job_type']:<16} {row['status']:<10}"
            f" attempts={row['attempts']}")
    say("\nexecution history (one row per attempt):")
    for row in conn.execute(
            "select job_id, attempt, status, worker_id, round(duration_ms::numeric, 1) as ms,"
            " coalesce(error_message, '') as error from jobs.job_attempts order by started_at"):
        say(f"  job #{row['job_id']:<3} attempt {row['attempt']} {row['status']:<10}"
            f" {row['worker_id']} {row['ms']} ms {row['error']}")


def main() -> int:
    started = time.monotonic()
    say("starting a throwaway PostgreSQL 15 with pg_cron ...")
    cluster = create_cluster()
    try:
        create_roles(cluster.url())
        say("applying migrations with `supabase db push` ...")
        db_push(cluster.url())
        with psycopg.connect(cluster.url(), autocommit=True, row_factory=dict_row) as conn:
            conn.execute("set role service_role")
            made = conn.execute("select id, job_type, status from jobs.enqueue_batch(%s)",
                                [Jsonb(WORKFLOW)]).fetchall()
            listed = ", ".join(f"#{j['id']} {j['job_type']} ({j['status']})" for j in made)
            say(f"enqueued {len(made)} jobs: {listed}")
            say("\nworker demo-1 runs what is due:")
            ran = run_worker(conn, "demo-1")
            show(conn)
            stats = conn.execute("select count(*) filter (where status = 'succeeded') as ok,"
                                 " count(*) as total from jobs.jobs").fetchone()
        assert stats is not None
        say(f"\n{stats['ok']}/{stats['total']} jobs succeeded in {ran} attempts,"
            f" {time.monotonic() - started:.1f} s in all.")
        return 0 if stats["ok"] == stats["total"] else 1
    finally:
        destroy_cluster(cluster)


if __name__ == "__main__":
    sys.exit(main())
