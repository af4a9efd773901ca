"""The webhook worker through a real transaction pooler (pgbouncer, pool_mode=transaction):
connected as Supabase's authenticator, acting as service_role per call, prepared statements
off. Delivery, duplicated wake-ups and a pgbouncer restart between jobs: each job runs once."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from e2e.worker_harness import (
    enqueue,
    enqueue_many,
    executions,
    job,
    prepare,
    relay,
    running,
    wait_for,
)
from supajobs_dev.cluster import free_port
from support.pgbouncer import Pgbouncer, dbname

POOLED_ENV = {"SUPAJOBS_DB_PREPARE": "off", "SUPAJOBS_DB_ROLE": "service_role"}


def as_authenticator(url: str) -> str:
    return url.replace("postgresql://postgres@", "postgresql://authenticator@")


@pytest.mark.parametrize("driver", ["asyncpg", "psycopg"])
def test_jobs_run_once_through_the_pooler_and_its_restart(db_url: str, pooled_db_url: str,
                                                          pgbouncer: Pgbouncer, tmp_path: Path,
                                                          driver: str) -> None:
    port = free_port()
    prepare(db_url, port)
    env = {**POOLED_ENV, "SUPAJOBS_DB_DRIVER": driver}
    with running(as_authenticator(pooled_db_url), tmp_path, port=port, env=env) as worker, \
            relay(db_url, "--duplicate-rate", "1"):
        first = enqueue(db_url, "e2e_sleep", {"seconds": 0})
        wait_for(lambda: job(db_url, first)["status"] == "succeeded")
        pgbouncer.restart()  # every pooled connection of the worker is cut
        ids = enqueue_many(db_url, "e2e_sleep", [{"seconds": 0.05}] * 5)
        wait_for(lambda: all(job(db_url, i)["status"] == "succeeded" for i in ids), timeout=30)
        metrics = httpx.get(worker.url + "/metrics").text
        assert worker.process.poll() is None, worker.log()
        # the worker really is a client of pgbouncer, as authenticator
        assert ("authenticator", dbname(db_url)) in pgbouncer.clients()
    assert job(db_url, first)["result"] == {"slept": 0, "attempt": 1, "worker": "w1"}
    for job_id in [first, *ids]:
        assert [x["status"] for x in executions(db_url, job_id)] == ["completed"]
    assert 'supajobs_webhook_requests_total{outcome="replayed"}' in metrics
