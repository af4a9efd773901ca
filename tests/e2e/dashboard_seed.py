"""A database holding jobs in every state, built through the real RPC functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from support.rpc import one, rpc

TYPE_THRESHOLD = 2  # so the seed trips one type breaker


def _claim(svc: psycopg.Connection[Any], job_type: str, n: int) -> list[dict[str, Any]]:
    return rpc(svc, "claim", worker_id="seed-worker", job_types=[job_type], batch_size=n)


def seed_every_state(conn: psycopg.Connection[Any],
                     svc: psycopg.Connection[Any]) -> dict[str, list[int]]:
    """Returns job ids by status: queued, waiting, running, succeeded, dead, cancelled."""
    conn.execute("update jobs.settings set value = %s::jsonb where key = 'type_failure_threshold'",
                 [str(TYPE_THRESHOLD)])
    ids: dict[str, list[int]] = {}
    queued = [one(svc, "enqueue", job_type="email_scan", payload={"mailbox": f"box{i}"})["id"]
              for i in range(3)]
    # The oldest due job: due ten minutes ago.
    late = one(svc, "enqueue", job_type="email_scan", payload={},
               run_at=datetime.now(UTC) - timedelta(minutes=10))
    ids["queued"] = [*queued, late["id"]]
    ids["waiting"] = [one(svc, "enqueue", job_type="file_organize", payload={},
                          depends_on=[queued[0]])["id"]]
    for _ in range(2):
        one(svc, "enqueue", job_type="report_generate", payload={"month": "2026-10"})
        [job] = _claim(svc, "report_generate", 1)
        one(svc, "complete", worker_id="seed-worker", job_id=job["id"], attempt=job["attempts"],
            result={"rows": 12})
    ids["succeeded"] = [int(r[0]) for r in conn.execute(
        "select id from jobs.jobs where status = 'succeeded' order by id").fetchall()]
    for i in range(2):
        one(svc, "enqueue", job_type="backup_create", payload={"n": i}, max_attempts=1)
        [job] = _claim(svc, "backup_create", 1)
        one(svc, "fail", worker_id="seed-worker", job_id=job["id"], attempt=job["attempts"],
            error=f"disk full on attempt {i}")
    ids["dead"] = [int(r[0]) for r in conn.execute(
        "select id from jobs.jobs where status = 'dead' order by id").fetchall()]
    for _ in range(2):
        one(svc, "enqueue", job_type="receipt_process", payload={})
    ids["running"] = [j["id"] for j in _claim(svc, "receipt_process", 2)]
    doomed = one(svc, "enqueue", job_type="duplicate_cleanup", payload={})["id"]
    ids["cancelled"] = [one(svc, "cancel", job_id=doomed, reason="seeded")["id"]]
    one(svc, "upsert_schedule", name="mail", cron_expression="0 8 * * 1-5",
        job_type="email_scan", payload={}, timezone="Asia/Tokyo")
    return ids


def counts_by_type_and_status(conn: psycopg.Connection[Any]) -> dict[tuple[str, str], int]:
    rows = conn.execute("select job_type, status::text, count(*) from jobs.jobs"
                        " group by 1, 2").fetchall()
    return {(str(t), str(s)): int(n) for t, s, n in rows}
