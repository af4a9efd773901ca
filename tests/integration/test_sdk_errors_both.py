"""Database errors reach the caller as the same exception, with the same message, over both
transports; a bad key is a PermissionDeniedError; an unknown function a MissingFunctionError."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from supajobs import (
    AsyncJobsClient,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    SupajobsError,
    ValidationError,
)
from support.rpc import service_connection
from support.sdk_clients import postgres_client, postgrest_client
from support.sdk_scenarios import dead, succeeded

Call = Callable[[AsyncJobsClient, dict[str, int]], Awaitable[Any]]

CASES: dict[str, tuple[Call, type[SupajobsError], str, str | None]] = {
    "unknown job": (lambda c, ids: c.get_job(424242), NotFoundError, "SJ404", None),
    "unknown job type": (lambda c, ids: c.enqueue("no_such_type", {}), ValidationError, "SJ100",
                         "job_type"),
    "cancel finished": (lambda c, ids: c.cancel(ids["succeeded"]), ConflictError, "SJ409", None),
    "requeue live job": (lambda c, ids: c.dead_letters.requeue(ids["succeeded"]), ConflictError,
                         "SJ409", None),
    "unknown schedule": (lambda c, ids: c.schedules.get("nope"), NotFoundError, "SJ404", None),
    "unknown dependency": (lambda c, ids: c.enqueue("email_scan", depends_on=[9999]),
                           ValidationError, "SJ106", "depends_on"),
    "lease lost": (lambda c, ids: c.worker.complete("someone", ids["succeeded"]), ConflictError,
                   "SJ409", None),
}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_errors_agree(db_url: str, case: str) -> None:
    with service_connection(db_url) as conn:
        ids = {"succeeded": succeeded(conn), "dead": dead(conn)}
    call, kind, code, field = CASES[case]
    direct = postgres_client(db_url)
    try:
        with pytest.raises(kind) as from_postgres:
            await call(direct, ids)
    finally:
        await direct.aclose()
    async with postgrest_client(db_url) as (rest, mock):
        with pytest.raises(kind) as from_postgrest:
            await call(rest, ids)
        assert mock.calls[-1].status == 400  # PostgREST: custom SQLSTATE class -> 400
    for err in (from_postgres.value, from_postgrest.value):
        assert err.code == code
        assert getattr(err, "field", None) == field
    assert str(from_postgrest.value) == str(from_postgres.value)
    assert from_postgrest.value.status == 400 and from_postgres.value.status is None


async def test_bad_key_is_permission_denied(db_url: str) -> None:
    async with postgrest_client(db_url, key="not-the-key") as (rest, mock):
        with pytest.raises(PermissionDeniedError, match="Invalid API key") as err:
            await rest.get_job(1)
        assert err.value.status == 401
        assert len(mock.calls) == 1  # never retried


async def test_wrong_role_is_permission_denied(db_url: str) -> None:
    from supajobs.transport.postgres import PostgresTransport

    client = AsyncJobsClient(PostgresTransport(db_url, role="anon"))
    try:
        with pytest.raises(PermissionDeniedError, match="permission denied") as err:
            await client.stats()
        assert err.value.code == "42501"
    finally:
        await client.aclose()
