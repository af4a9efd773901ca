"""The whole chain with real processes: pg_cron -> jobs.fire_schedule -> net.http_post
(stand-in) -> relay -> HTTP to a worker under uvicorn -> handler -> job_executions.

pg_cron 1.4 fires on minute boundaries, so this test waits up to about a minute. It runs in
the shared `postgres` database (the only one with pg_cron) and removes what it created.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg.types.json import Jsonb

from e2e.worker_harness import prepare, relay, running, sql, wait_for
from supajobs_dev.cluster import free_port

pytestmark = [pytest.mark.cron, pytest.mark.slow]


@pytest.fixture
def chain_db(cron_db_url: str) -> Iterator[tuple[str, str, int]]:
    had_net = bool(sql(cron_db_url, "select 1 from pg_namespace where nspname = 'net'"))
    name, port = f"e2e-chain-{uuid.uuid4().hex[:8]}", free_port()
    prepare(cron_db_url, port, standin=not had_net)
    try:
        yield cron_db_url, name, port
    finally:
        sql(cron_db_url, "select jobs.delete_schedule(name) from jobs.job_schedules"
                         " where name = %s", [name])
        # configure_dispatch(null, null) cannot clear them yet (to_jsonb(null) is SQL null)
        sql(cron_db_url, "update jobs.settings set value = 'null'"
                         " where key in ('worker_url', 'webhook_secret')")
        sql(cron_db_url, "delete from jobs.jobs where job_type in ('e2e_sleep', 'e2e_noop')")
        sql(cron_db_url, "delete from jobs.job_executions where job_type in ('e2e_sleep', 'e2e_noop')")
        sql(cron_db_url, "delete from jobs.job_types where name in ('e2e_sleep', 'e2e_noop')")
        if not had_net:
            sql(cron_db_url, "drop schema net cascade")


def test_pg_cron_fires_and_the_worker_records_the_result(chain_db: tuple[str, str, int],
                                                         tmp_path: Path) -> None:
    url, name, port = chain_db
    with running(url, tmp_path, port=port, name="cron-worker"), relay(url):
        schedule = sql(url, "select * from jobs.upsert_schedule(name => %s, cron_expression =>"
                            " '* * * * *', job_type => 'e2e_sleep', payload => %s,"
                            " timezone => 'UTC')", [name, Jsonb({"seconds": 0.01})])[0]
        assert sql(url, "select 1 from cron.job where jobname = %s", [schedule["cron_job_name"]])
        done = wait_for(lambda: sql(url, "select x.*, j.result from jobs.job_executions x"
                                         " join jobs.jobs j on j.id = x.job_id"
                                         " where x.schedule_id = %s and x.status = 'completed'",
                                    [schedule["id"]]), timeout=75, interval=0.5)
    assert done[0]["worker_id"] == "cron-worker"
    assert done[0]["result"] == {"slept": 0.01, "attempt": 1, "worker": "cron-worker"}
    run = sql(url, "select status from cron.job_run_details d join cron.job c using (jobid)"
                   " where c.jobname = %s", [schedule["cron_job_name"]])
    assert [r["status"] for r in run][:1] == ["succeeded"]
