"""Mutating calls: the same call on two identical databases (one per transport) gives equal
models, apart from now()-times and random UUIDs (masked as set/unset by `comparable`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from supajobs import AsyncJobsClient, Priority, RateLimit
from supajobs_dev.cluster import Cluster
from support.rpc import service_connection
from support.sdk_clients import (
    clone_database,
    comparable,
    drop_database,
    postgres_client,
    postgrest_client,
)
from support.sdk_scenarios import mixed

RUN_AT = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
Call = Callable[[AsyncJobsClient, dict[str, int]], Awaitable[Any]]
Body = Callable[[dict[str, int]], dict[str, Any]]

WRITES: dict[str, tuple[Call, str, Body]] = {
    "enqueue": (
        lambda c, ids: c.enqueue("receipt_process", {"file": "r.pdf"}, priority=Priority.HIGH,
                                 run_at=RUN_AT, idempotency_key="k-1",
                                 depends_on=[ids["succeeded"]], max_attempts=3, timeout=60),
        "enqueue",
        lambda ids: {"job_type": "receipt_process", "payload": {"file": "r.pdf"},
                     "priority": "high", "run_at": RUN_AT.isoformat(), "idempotency_key": "k-1",
                     "depends_on": [ids["succeeded"]], "max_attempts": 3, "timeout_seconds": 60}),
    "enqueue_many_ids": (
        lambda c, ids: c.enqueue_many_ids([{"job_type": "email_scan", "payload": {"n": n}}
                                           for n in range(3)] + [{"job_type": "email_scan",
                                                                  "priority": "high"}]),
        "enqueue_batch_ids",
        lambda ids: {"items": [{"job_type": "email_scan", "payload": {"n": n}} for n in range(3)]
                     + [{"job_type": "email_scan", "priority": "high"}]}),
    "enqueue_many": (
        lambda c, ids: c.enqueue_many([
            {"job_type": "email_scan", "ref": "scan"},
            {"job_type": "receipt_process", "payload": {"f": 1}, "depends_on": ["scan"]}]),
        "enqueue_batch",
        lambda ids: {"items": [{"job_type": "email_scan", "ref": "scan"},
                               {"job_type": "receipt_process", "payload": {"f": 1},
                                "depends_on": ["scan"]}]}),
    "cancel": (lambda c, ids: c.cancel(ids["queued"], reason="not needed"), "cancel",
               lambda ids: {"job_id": ids["queued"], "reason": "not needed"}),
    "dead_letters.requeue": (lambda c, ids: c.dead_letters.requeue(ids["dead"]), "requeue_dead",
                             lambda ids: {"job_id": ids["dead"]}),
    "dead_letters.purge": (lambda c, ids: c.dead_letters.purge(older_than=timedelta(0)),
                           "purge_dead_letters", lambda ids: {"older_than": "0.0 seconds"}),
    "breakers.reset": (lambda c, ids: c.breakers.reset("type:email_scan", reset_by="ops"),
                       "reset_breaker", lambda ids: {"scope": "type:email_scan", "reset_by": "ops"}),
    "job_types.upsert": (
        lambda c, ids: c.job_types.upsert("custom_ocr", max_attempts=2, heavy=True),
        "upsert_job_type",
        lambda ids: {"name": "custom_ocr", "default_priority": "medium", "max_attempts": 2,
                     "timeout_seconds": 300, "backoff_base_seconds": 10,
                     "backoff_cap_seconds": 3600, "concurrency_limit": None, "heavy": True,
                     "rate_limits": None, "rate_key": None, "key_concurrency": None}),
    "job_types.upsert flow limits": (
        lambda c, ids: c.job_types.upsert(
            "freee_sync", rate_limits=[RateLimit(starts=5, per_seconds=1),
                                       {"starts": 3000, "per_seconds": 86400}],
            rate_key="company.id", key_concurrency=2),
        "upsert_job_type",
        lambda ids: {"name": "freee_sync", "default_priority": "medium", "max_attempts": 5,
                     "timeout_seconds": 300, "backoff_base_seconds": 10,
                     "backoff_cap_seconds": 3600, "concurrency_limit": None, "heavy": False,
                     "rate_limits": [{"starts": 5, "per_seconds": 1.0},
                                     {"starts": 3000, "per_seconds": 86400}],
                     "rate_key": "company.id", "key_concurrency": 2}),
    "enqueue rate_key": (
        lambda c, ids: c.enqueue("email_scan", {"n": 1}, rate_key="mailbox-7"),
        "enqueue",
        lambda ids: {"job_type": "email_scan", "payload": {"n": 1}, "rate_key": "mailbox-7"}),
    "enqueue_many rate_key": (
        lambda c, ids: c.enqueue_many([{"job_type": "email_scan", "rate_key": "mailbox-7"}]),
        "enqueue_batch",
        lambda ids: {"items": [{"job_type": "email_scan", "rate_key": "mailbox-7"}]}),
    "worker.postpone": (
        lambda c, ids: c.worker.postpone("w2", ids["running"], 1, 30, "429", key="m"),
        "postpone_jobs",
        lambda ids: {"worker_id": "w2", "postponements": [
            {"job_id": ids["running"], "attempt": 1, "seconds": 30, "error": "429",
             "key": "m"}]}),
    "worker.claim": (lambda c, ids: c.worker.claim("w9", ["backup_create"], 2, 30), "claim",
                     lambda ids: {"worker_id": "w9", "batch_size": 2,
                                  "job_types": ["backup_create"], "lease_seconds": 30}),
    "worker.claim_work": (lambda c, ids: c.worker.claim_work("w9", ["backup_create"], 2, 30),
                          "claim_work", lambda ids: {"worker_id": "w9", "batch_size": 2,
                                                     "job_types": ["backup_create"],
                                                     "lease_seconds": 30}),
    "worker.heartbeat": (lambda c, ids: c.worker.heartbeat("w2", [ids["running"], 999]),
                         "heartbeat", lambda ids: {"worker_id": "w2",
                                                   "job_ids": [ids["running"], 999]}),
    "worker.complete": (lambda c, ids: c.worker.complete("w2", ids["running"], {"n": 2}),
                        "complete", lambda ids: {"worker_id": "w2", "job_id": ids["running"],
                                                 "result": {"n": 2}}),
    "worker.fail": (lambda c, ids: c.worker.fail("w2", ids["running"], "boom", retryable=False),
                    "fail", lambda ids: {"worker_id": "w2", "job_id": ids["running"],
                                         "error": "boom", "retryable": False,
                                         "timed_out": False}),
    "worker.release": (lambda c, ids: c.worker.release("w2", [ids["running"]]), "release_jobs",
                       lambda ids: {"worker_id": "w2", "job_ids": [ids["running"]]}),
    "sweep": (lambda c, ids: c.sweep(), "sweep", lambda ids: {}),
    "schedules.upsert": (
        lambda c, ids: c.schedules.upsert("nightly", "30 2 * * *", "backup_create", {"a": 1},
                                          timezone="UTC", overlap="queue", priority="low"),
        "upsert_schedule",
        lambda ids: {"name": "nightly", "cron_expression": "30 2 * * *",
                     "job_type": "backup_create", "payload": {"a": 1}, "timezone": "UTC",
                     "overlap": "queue", "enabled": True, "priority": "low"}),
    "schedules.pause": (lambda c, ids: c.schedules.pause("weekly-backup"), "set_schedule_enabled",
                        lambda ids: {"name": "weekly-backup", "enabled": False}),
    "schedules.resume": (lambda c, ids: c.schedules.resume("weekly-backup"),
                         "set_schedule_enabled",
                         lambda ids: {"name": "weekly-backup", "enabled": True}),
    "schedules.delete": (lambda c, ids: c.schedules.delete("weekly-dedup"), "delete_schedule",
                         lambda ids: {"name": "weekly-dedup"}),
    "schedules.run_now": (lambda c, ids: c.schedules.run_now("monthly-report"),
                          "run_schedule_now", lambda ids: {"name": "monthly-report"}),
}


@pytest.mark.parametrize("name", sorted(WRITES))
async def test_write_calls_agree(cluster: Cluster, db_url: str, name: str) -> None:
    with service_connection(db_url) as conn:
        ids = mixed(conn)
    twin = clone_database(cluster, db_url)
    call, fn, body = WRITES[name]
    direct = postgres_client(db_url)
    try:
        via_postgres = await call(direct, ids)
        async with postgrest_client(twin) as (rest, mock):
            via_postgrest = await call(rest, ids)
            assert mock.calls[-1].request.url.path == f"/rest/v1/rpc/{fn}"
            assert mock.calls[-1].request.headers["content-profile"] == "jobs"
            assert mock.calls[-1].body == body(ids)
            assert mock.calls[-1].status == 200
            assert type(via_postgrest) is type(via_postgres)
            assert comparable(via_postgrest) == comparable(via_postgres)
            assert via_postgres not in (None, [], 0) or name == "sweep"
            # the stored state agrees too
            assert comparable(await rest.stats()) == comparable(await direct.stats())
    finally:
        await direct.aclose()
        drop_database(cluster, twin)
