"""Bad input: its own SQLSTATE, a message naming the field, and nothing written."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from support.rpc import rpc

BIG = "x" * 262_145


@pytest.mark.parametrize(("args", "sqlstate", "fragment"), [
    ({"job_type": "fax_send"}, "SJ100", 'job_type "fax_send" is not a known job type'),
    ({"job_type": "file_organize", "payload": Jsonb([1, 2])}, "SJ101", "payload must be a JSON object, got array"),
    ({"job_type": "file_organize", "payload": Jsonb("text")}, "SJ101", "payload must be a JSON object, got string"),
    ({"job_type": "file_organize", "payload": {"blob": BIG}}, "SJ101", "the limit is 262144 bytes"),
    ({"job_type": "file_organize", "max_attempts": 6}, "SJ102", "max_attempts must be an integer from 1 to 5, got 6"),
    ({"job_type": "file_organize", "max_attempts": 0}, "SJ102", "max_attempts"),
    ({"job_type": "file_organize", "timeout_seconds": 1801}, "SJ103", "timeout_seconds must be an integer from 1 to 1800"),
    ({"job_type": "file_organize", "priority": "urgent"}, "SJ104", 'priority "urgent" is not one of'),
    ({"job_type": "file_organize", "idempotency_key": ""}, "SJ105", "idempotency_key"),
])
def test_single_enqueue_rejects(svc: psycopg.Connection[Any], args: dict[str, Any], sqlstate: str,
                                fragment: str) -> None:
    with pytest.raises(psycopg.Error) as err:
        rpc(svc, "enqueue", **args)
    assert err.value.sqlstate == sqlstate
    assert fragment in str(err.value)
    assert svc.execute("select count(*) from jobs.jobs").fetchone() == (0,)


@pytest.mark.parametrize(("item", "sqlstate", "fragment"), [
    ({"payload": {}}, "SJ100", "jobs[1].job_type is required"),
    ({"job_type": "file_organize", "max_attempts": "3"}, "SJ102", "jobs[1].max_attempts"),
    ({"job_type": "file_organize", "max_attempts": 2.5}, "SJ102", "jobs[1].max_attempts"),
    ({"job_type": "file_organize", "run_at": "tomorrow-ish"}, "SJ105", 'jobs[1].run_at "tomorrow-ish" is not a timestamp'),
    ({"job_type": "file_organize", "depends_on": "x"}, "SJ106", "jobs[1].depends_on must be a list"),
    ({"job_type": "file_organize", "depends_on": [1.5]}, "SJ106", "jobs[1].depends_on"),
    ({"job_type": "file_organize", "ref": 7}, "SJ105", "jobs[1].ref must be a string"),
    (["not", "an", "object"], "SJ101", "jobs[1] must be a JSON object"),
])
def test_batch_names_the_bad_item_and_writes_nothing(svc: psycopg.Connection[Any], item: Any,
                                                     sqlstate: str, fragment: str) -> None:
    with pytest.raises(psycopg.Error) as err:
        rpc(svc, "enqueue_batch", items=[{"job_type": "file_organize"}, item])
    assert err.value.sqlstate == sqlstate
    assert fragment in str(err.value)
    assert svc.execute("select count(*) from jobs.jobs").fetchone() == (0,)


def test_batch_must_be_an_array_within_the_limit(svc: psycopg.Connection[Any]) -> None:
    with pytest.raises(psycopg.Error) as err:
        rpc(svc, "enqueue_batch", items=Jsonb({"job_type": "file_organize"}))
    assert err.value.sqlstate == "SJ105" and "JSON array" in str(err.value)
    with pytest.raises(psycopg.Error) as big:
        rpc(svc, "enqueue_batch", items=[{"job_type": "file_organize"}] * 10_001)
    assert big.value.sqlstate == "SJ105" and "at most 10000 jobs" in str(big.value)


def test_empty_batch_is_fine(svc: psycopg.Connection[Any]) -> None:
    assert svc.execute("select count(*) from jobs.enqueue_batch('[]'::jsonb)").fetchone() == (0,)


@pytest.mark.parametrize(("fn", "args", "sqlstate"), [
    ("claim", {"worker_id": "", "batch_size": 1}, "SJ105"),
    ("claim", {"worker_id": "w", "batch_size": 0}, "SJ105"),
    ("claim", {"worker_id": "w", "batch_size": 1001}, "SJ105"),
    ("upsert_job_type", {"name": "Bad Name"}, "SJ100"),
    ("upsert_job_type", {"name": "ok", "max_attempts": 9}, "SJ102"),
    ("upsert_job_type", {"name": "ok", "timeout_seconds": 4000}, "SJ103"),
    ("upsert_job_type", {"name": "ok", "default_priority": "asap"}, "SJ104"),
    ("upsert_job_type", {"name": "ok", "backoff_base_seconds": 10, "backoff_cap_seconds": 1}, "SJ105"),
    ("upsert_job_type", {"name": "ok", "concurrency_limit": 0}, "SJ105"),
    ("reset_breaker", {"scope": "global"}, "SJ404"),
    ("complete_jobs", {"worker_id": "w", "completions": {"job_id": 1}}, "SJ105"),
    ("fail_jobs", {"worker_id": "w", "failures": {"job_id": 1}}, "SJ105"),
])
def test_other_rpcs_reject_bad_arguments(svc: psycopg.Connection[Any], fn: str,
                                         args: dict[str, Any], sqlstate: str) -> None:
    with pytest.raises(psycopg.Error) as err:
        rpc(svc, fn, **args)
    assert err.value.sqlstate == sqlstate
