"""POST actions: requeue a dead letter, purge dead letters, reset a circuit breaker."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from supajobs import (
    AsyncJobsClient,
    ConflictError,
    NotFoundError,
    SupajobsError,
    ValidationError,
)
from supajobs_worker.dashboard.auth import Principal

SCOPE = re.compile(r"^(global|type:[a-z][a-z0-9_]{0,62})$")
MAX_PURGE_HOURS = 24 * 365


class BadRequestError(Exception):
    pass


def status_for(exc: SupajobsError) -> int:
    """The HTTP status an SDK error answers with (the database's message is the body)."""
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, ConflictError):
        return 409
    if isinstance(exc, ValidationError):
        return 400
    return 502


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object ({} when empty); BadRequestError for anything else."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise BadRequestError("request body must be JSON") from None
    if not isinstance(data, dict):
        raise BadRequestError("request body must be a JSON object")
    return data


def purge_age(body: dict[str, Any]) -> timedelta | None:
    hours = body.get("older_than_hours")
    if hours is None:
        return None
    if isinstance(hours, bool) or not isinstance(hours, int | float) \
            or not 0 <= hours <= MAX_PURGE_HOURS:
        raise BadRequestError(f"older_than_hours must be a number from 0 to {MAX_PURGE_HOURS}")
    return timedelta(hours=hours)


def breaker_scope(body: dict[str, Any]) -> str:
    scope = body.get("scope")
    if not isinstance(scope, str) or not SCOPE.match(scope):
        raise BadRequestError("scope must be 'global' or 'type:<job_type>'")
    return scope


class Actions:
    def __init__(self, client: Any) -> None:
        self._client = client  # a ClientHolder

    async def requeue(self, request: Request, principal: Principal) -> Response:
        return await self._run("requeue", request, principal)

    async def purge(self, request: Request, principal: Principal) -> Response:
        return await self._run("purge", request, principal)

    async def reset(self, request: Request, principal: Principal) -> Response:
        return await self._run("reset", request, principal)

    async def _run(self, op: str, request: Request, principal: Principal) -> Response:
        client: AsyncJobsClient = await self._client.get()
        try:
            body = await json_body(request)
            if op == "requeue":
                job = await client.dead_letters.requeue(int(request.path_params["job_id"]))
                result: dict[str, Any] = {"job_id": job.id, "status": str(job.status)}
            elif op == "purge":
                result = {"purged": await client.dead_letters.purge(purge_age(body))}
            else:
                who = "dashboard (bearer)" if principal.kind == "bearer" else "dashboard"
                trips = await client.breakers.reset(breaker_scope(body), reset_by=who)
                result = {"reset": [t.id for t in trips]}
        except BadRequestError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        except SupajobsError as exc:
            return JSONResponse({"error": exc.message}, status_code=status_for(exc))
        return JSONResponse(result)
