"""Client-side validation says exactly what the database says, for the same bad inputs.

Each case goes to the Python check and, through the SDK's PostgreSQL transport with the
client-side check bypassed, to the SQL function; the SQLSTATE and the message must match.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from supajobs import ValidationError
from supajobs.schedule_rules import check_schedule
from supajobs.validation import check_batch, check_job
from supajobs_dev.cluster import Cluster
from support.sdk_clients import drop_database, postgres_client

BIG = {"blob": "x" * 262130}  # {"blob": "..."} is 262142 bytes: under the limit
TOO_BIG = {"blob": "x" * 262140}

JOB_CASES: list[dict[str, Any]] = [
    {"job_type": "email_scan", "payload": [1, 2]},
    {"job_type": "email_scan", "payload": "text"},
    {"job_type": "email_scan", "payload": TOO_BIG},
    {"job_type": "email_scan", "payload": {"k": "é" * 131072}},  # 2-byte characters count twice
    {"job_type": "email_scan", "priority": "urgent"},
    {"job_type": "email_scan", "priority": ""},
    {"job_type": "email_scan", "max_attempts": 0},
    {"job_type": "email_scan", "max_attempts": 6},
    {"job_type": "email_scan", "timeout_seconds": 1801},
    {"job_type": "email_scan", "timeout_seconds": 0},
    {"job_type": "email_scan", "idempotency_key": ""},
    {"job_type": "email_scan", "idempotency_key": "k" * 201},
    {"job_type": "email_scan", "max_attempts": 9, "priority": "nope"},  # order of checks
]

BATCH_CASES: list[list[Any]] = [
    [{"job_type": "email_scan"}, {"payload": {}}],
    [{"job_type": "email_scan"}, "not an object"],
    [{"job_type": "email_scan", "max_attempts": 2.5}],
    [{"job_type": "email_scan", "max_attempts": True}],
    [{"job_type": "email_scan", "depends_on": [{"x": 1}]}],
    [{"job_type": "email_scan", "ref": 5}],
    [{"job_type": "email_scan", "payload": BIG}, {"job_type": "email_scan", "timeout_seconds": -1}],
]


@pytest.fixture(scope="module")
def shared_db(cluster: Cluster) -> Iterator[str]:
    """One migrated database for the module: rejected calls change nothing."""
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute("create database sdk_validation template supajobs_template")
    yield cluster.url("sdk_validation")
    drop_database(cluster, cluster.url("sdk_validation"))


def python_error(check: Any, value: Any) -> ValidationError:
    with pytest.raises(ValidationError) as err:
        check(value)
    return err.value


@pytest.mark.parametrize("case", range(len(JOB_CASES)))
async def test_single_job_rules_match_sql(shared_db: str, case: int) -> None:
    item = JOB_CASES[case]
    client = postgres_client(shared_db)
    try:
        with pytest.raises(ValidationError) as from_sql:
            await client.call_raw("enqueue", {**item, "payload": item.get("payload", {})})
    finally:
        await client.aclose()
    mine = python_error(check_job, item)
    assert (mine.code, mine.message) == (from_sql.value.code, from_sql.value.message)
    assert mine.field == from_sql.value.field


@pytest.mark.parametrize("case", range(len(BATCH_CASES)))
async def test_batch_rules_match_sql(shared_db: str, case: int) -> None:
    items = BATCH_CASES[case]
    client = postgres_client(shared_db)
    try:
        with pytest.raises(ValidationError) as from_sql:
            await client.call_raw("enqueue_batch", {"items": items})
    finally:
        await client.aclose()
    mine = python_error(check_batch, items)
    assert (mine.code, mine.message) == (from_sql.value.code, from_sql.value.message)


async def test_payload_at_the_limit_is_accepted_by_both(db_url: str) -> None:
    check_job({"job_type": "email_scan", "payload": BIG})
    client = postgres_client(db_url)
    try:
        job = await client.enqueue("email_scan", BIG)
    finally:
        await client.aclose()
    assert job.payload == BIG


SCHEDULE_CASES: list[tuple[str, str, str]] = [  # name, cron, timezone
    ("s", "0 8 * * 1-5 *", "Asia/Tokyo"), ("s", "", "Asia/Tokyo"), ("s", "61 * * * *", "UTC"),
    ("s", "0 25 * * *", "UTC"), ("s", "0 0 L * L", "UTC"), ("s", "0 0 5-1 * *", "UTC"),
    ("s", "0 0 * FOO *", "UTC"), ("s", "*/0 * * * *", "UTC"), ("s", "0 0 1,,2 * *", "UTC"),
    ("s", "0 0 L-3 * *", "UTC"), ("s", "*-5 * * * *", "UTC"), ("s", "0 0 * * MON#2", "UTC"),
    ("s", "0 0 * * 8", "UTC"), ("s", "0 1 L * *", "Mars/Olympus"), ("s", "0 1 * * *", "JST"),
    ("s", "0 1 * * *", "asia/tokyo"), ("", "0 1 * * *", "UTC"), (" pad", "0 1 * * *", "UTC"),
    ("x" * 55, "0 1 * * *", "UTC"), ("a\tb", "0 1 * * *", "UTC"),
    ("s", "30 seconds", "UTC"), ("s", "1  Second", "UTC"),
]


@pytest.mark.parametrize("case", range(len(SCHEDULE_CASES)))
async def test_schedule_rules_match_sql(shared_db: str, case: int) -> None:
    name, cron, zone = SCHEDULE_CASES[case]
    args = {"name": name, "cron_expression": cron, "job_type": "email_scan", "payload": {},
            "timezone": zone, "overlap": "skip", "enabled": True}
    client = postgres_client(shared_db)
    try:
        with pytest.raises(ValidationError) as from_sql:
            await client.call_raw("upsert_schedule", args)
    finally:
        await client.aclose()
    with pytest.raises(ValidationError) as mine:
        check_schedule(name, cron, {}, None, zone, "skip")
    assert (mine.value.code, mine.value.message) == (from_sql.value.code, from_sql.value.message)


@pytest.mark.parametrize("cron", ["0 1 L * *", "0 8 * * MON-FRI", "*/15 9-17 * * 1-5",
                                  "0 0 1,15,L * *", "@daily", "0 3 ? * 7", "5/10 * * * *"])
async def test_valid_expressions_pass_both(shared_db: str, cron: str) -> None:
    check_schedule("ok", cron, {}, None, "Asia/Tokyo", "skip")
    client = postgres_client(shared_db)
    try:
        normalised = await client.call_raw("validate_cron_expression", {"cron_expression": cron})
    finally:
        await client.aclose()
    assert normalised == cron
