"""Read calls: both transports on the very same database state return equal models.

The PostgREST side goes through respx; its responses are the real SQL functions' results
rendered as PostgREST renders them (support.postgrest_mock), never typed by hand.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from supajobs import AsyncJobsClient
from support.postgrest_mock import SERVICE_KEY, PostgrestMock
from support.rpc import service_connection
from support.sdk_clients import postgres_client, postgrest_client
from support.sdk_scenarios import mixed

Call = Callable[[AsyncJobsClient, dict[str, int]], Awaitable[Any]]

# name -> (call, rpc function, expected JSON body)
READS: dict[str, tuple[Call, str, Callable[[dict[str, int]], dict[str, Any]]]] = {
    "get_job": (lambda c, ids: c.get_job(ids["dead"]), "get_job",
                lambda ids: {"job_id": ids["dead"]}),
    "history": (lambda c, ids: c.history(ids["dead"]), "job_history",
                lambda ids: {"job_id": ids["dead"]}),
    "wait_finished": (lambda c, ids: c.wait(ids["succeeded"], timeout=1), "get_job",
                      lambda ids: {"job_id": ids["succeeded"]}),
    "dead_letters.list": (lambda c, ids: c.dead_letters.list(limit=10, job_type="file_organize"),
                          "list_dead_letters",
                          lambda ids: {"max_rows": 10, "job_type": "file_organize"}),
    "breakers.list": (lambda c, ids: c.breakers.list(), "list_breakers", lambda ids: {}),
    "breakers.history": (lambda c, ids: c.breakers.history(limit=5), "breaker_history",
                         lambda ids: {"max_rows": 5}),
    "job_types.list": (lambda c, ids: c.job_types.list(), "list_job_types", lambda ids: {}),
    "schedules.list": (lambda c, ids: c.schedules.list(), "list_schedules", lambda ids: {}),
    "schedules.get": (lambda c, ids: c.schedules.get("monthly-report"), "get_schedule",
                      lambda ids: {"name": "monthly-report"}),
    "schedules.executions": (lambda c, ids: c.schedules.executions("daily-cleanup", limit=5),
                             "schedule_executions",
                             lambda ids: {"name": "daily-cleanup", "max_rows": 5}),
}


@pytest.fixture
async def state(db_url: str) -> AsyncIterator[tuple[dict[str, int], AsyncJobsClient,
                                                    AsyncJobsClient, PostgrestMock]]:
    with service_connection(db_url) as conn:
        ids = mixed(conn)
    direct = postgres_client(db_url)
    async with postgrest_client(db_url) as (rest, mock):
        yield ids, direct, rest, mock
    await direct.aclose()


def assert_request(mock: PostgrestMock, fn: str, body: dict[str, Any]) -> None:
    call = mock.calls[-1]
    assert call.request.method == "POST"
    assert call.request.url.path == f"/rest/v1/rpc/{fn}"
    assert call.request.headers["apikey"] == SERVICE_KEY
    assert call.request.headers["authorization"] == f"Bearer {SERVICE_KEY}"
    assert call.request.headers["content-profile"] == "jobs"
    assert call.body == body
    assert call.status == 200


@pytest.mark.parametrize("name", sorted(READS))
async def test_read_calls_agree(state: Any, name: str) -> None:
    ids, direct, rest, mock = state
    call, fn, body = READS[name]
    via_postgres = await call(direct, ids)
    via_postgrest = await call(rest, ids)
    assert_request(mock, fn, body(ids))
    assert via_postgrest == via_postgres
    assert via_postgres  # the state makes every read non-empty: equality is not vacuous


async def test_stats_agree_apart_from_ages(state: Any) -> None:
    _, direct, rest, mock = state
    via_postgres, via_postgrest = await direct.stats(), await rest.stats()
    assert_request(mock, "queue_stats", {})
    strip = [s.model_copy(update={"oldest_due_age_seconds": None}) for s in via_postgres]
    assert [s.model_copy(update={"oldest_due_age_seconds": None}) for s in via_postgrest] == strip
    ages = [s.oldest_due_age_seconds for s in via_postgrest if s.oldest_due_age_seconds]
    assert ages and all(age >= 0 for age in ages)  # oldest due age is measured at call time
    email = [s for s in via_postgres if s.job_type == "email_scan"]
    assert all(s.breaker_open for s in email)
