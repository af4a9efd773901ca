"""PostgREST error bodies and HTTP statuses map to the right exceptions; transient ones are
retried (bounded) and then surface; non-idempotent calls are retried only when safe."""

from __future__ import annotations

import httpx
import pytest
import respx

from supajobs import (
    AsyncJobsClient,
    ConfigurationError,
    ConflictError,
    MissingFunctionError,
    NotFoundError,
    PermissionDeniedError,
    RetryPolicy,
    SupajobsError,
    TransientError,
    ValidationError,
)
from supajobs.error_mapping import from_postgrest, from_sqlstate
from supajobs.transport.postgrest import PostgrestTransport

URL = "https://proj.supabase.co"
RPC = f"{URL}/rest/v1/rpc"
FAST = RetryPolicy(attempts=3, initial_wait=0, max_wait=0, jitter=0)


def body(code: str | None, message: str = "db says no") -> dict[str, object]:
    return {"code": code, "message": message, "details": None, "hint": None}


@pytest.mark.parametrize(("status", "code", "kind"), [
    (400, "SJ101", ValidationError), (400, "SJ404", NotFoundError), (400, "SJ409", ConflictError),
    (401, "PGRST301", PermissionDeniedError), (403, "42501", PermissionDeniedError),
    (404, "PGRST202", MissingFunctionError), (404, None, NotFoundError),
    (409, "23505", ConflictError), (409, None, ConflictError), (406, "PGRST106", ConfigurationError),
    (500, "40001", TransientError), (503, "PGRST001", TransientError), (502, "502", TransientError),
    (504, None, TransientError), (500, "XX000", TransientError), (418, None, SupajobsError),
])
def test_postgrest_bodies_map(status: int, code: str | None, kind: type[SupajobsError]) -> None:
    err = from_postgrest(body(code), status)
    assert type(err) is kind
    assert err.message == "db says no" and err.status == status


def test_validation_error_names_the_field() -> None:
    err = from_sqlstate("SJ105", "jobs[2].idempotency_key must be a string of 1 to 200 characters")
    assert isinstance(err, ValidationError) and err.field == "idempotency_key"
    assert from_sqlstate("SJ102", "max_attempts must be ...").field == "max_attempts"  # type: ignore[attr-defined]


def test_missing_function_hint_points_at_migrations() -> None:
    err = from_postgrest(body("PGRST202", "Could not find the function jobs.get_job"), 404)
    assert err.hint is not None and "migrations" in err.hint


@respx.mock
async def test_transient_errors_are_retried_then_surface() -> None:
    route = respx.post(f"{RPC}/get_job").mock(
        return_value=httpx.Response(503, json=body("PGRST001", "no connection to the database")))
    client = AsyncJobsClient(PostgrestTransport(URL, "key"), retry=FAST)
    with pytest.raises(TransientError, match="no connection to the database"):
        await client.get_job(1)
    assert route.call_count == 3
    await client.aclose()


@respx.mock
async def test_transient_then_success() -> None:
    job = {"id": 1}
    route = respx.post(f"{RPC}/list_breakers").mock(side_effect=[
        httpx.Response(502, text="<html>bad gateway</html>"), httpx.ConnectError("refused"),
        httpx.Response(200, json=[])])
    client = AsyncJobsClient(PostgrestTransport(URL, "key"), retry=FAST)
    assert await client.breakers.list() == [] and route.call_count == 3 and job
    await client.aclose()


@respx.mock
async def test_ambiguous_failure_of_unkeyed_enqueue_is_not_retried() -> None:
    route = respx.post(f"{RPC}/enqueue").mock(return_value=httpx.Response(502, text="gateway"))
    client = AsyncJobsClient(PostgrestTransport(URL, "key"), retry=FAST)
    with pytest.raises(TransientError) as err:
        await client.enqueue("email_scan", {})
    assert err.value.applied is None and route.call_count == 1
    with pytest.raises(TransientError):
        await client.enqueue("email_scan", {}, idempotency_key="k")
    assert route.call_count == 1 + 3  # with a key, a repeat cannot create a second job
    await client.aclose()


@respx.mock
async def test_serialization_failure_is_retried_even_without_key() -> None:
    route = respx.post(f"{RPC}/enqueue").mock(
        return_value=httpx.Response(500, json=body("40001", "could not serialize access")))
    client = AsyncJobsClient(PostgrestTransport(URL, "key"), retry=FAST)
    with pytest.raises(TransientError, match="could not serialize"):
        await client.enqueue("email_scan", {})
    assert route.call_count == 3  # rolled back for certain: safe to repeat
    await client.aclose()


@respx.mock
async def test_validation_errors_are_not_retried() -> None:
    route = respx.post(f"{RPC}/get_job").mock(
        return_value=httpx.Response(400, json=body("SJ404", "job 7 does not exist")))
    client = AsyncJobsClient(PostgrestTransport(URL, "key"), retry=FAST)
    with pytest.raises(NotFoundError, match="job 7 does not exist"):
        await client.get_job(7)
    assert route.call_count == 1
    await client.aclose()


@pytest.mark.parametrize("url", ["", "proj.supabase.co", "ftp://x", "https://"])
def test_bad_url_is_a_configuration_error(url: str) -> None:
    with pytest.raises(ConfigurationError, match="SUPABASE_URL must be an http"):
        PostgrestTransport(url, "key")


def test_empty_key_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="service-role key is empty"):
        PostgrestTransport(URL, " ")
