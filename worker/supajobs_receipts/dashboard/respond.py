"""What the receipts page's routes share: who a decision is recorded as made by, and one way
to answer (the work's JSON, or the error as a 4xx/502 with its message)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.responses import JSONResponse, Response

from supajobs import AsyncJobsClient, SupajobsError
from supajobs_worker.dashboard.extension import (
    BadRequestError,
    ExtensionContext,
    Principal,
    error_response,
    json_error,
)

Work = Callable[[AsyncJobsClient], Awaitable[Any]]


def decided_by(principal: Principal) -> str:
    """`dashboard:<principal>`: the dashboard has one shared token, so it knows a sign-in,
    not a person; the note can say who."""
    return f"dashboard:{principal.name}"


async def answer(ctx: ExtensionContext, work: Work) -> Response:
    try:
        return JSONResponse(await work(await ctx.client()))
    except BadRequestError as exc:
        return json_error(str(exc), 400)
    except SupajobsError as exc:  # SJ105 → 400 with the database's message, SJ404, SJ409
        return error_response(exc)
