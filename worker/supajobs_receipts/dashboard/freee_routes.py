"""The freee review list's JSON routes (under /api/receipts, behind the dashboard's guards;
the POST needs the session's CSRF token like every action):

    GET  /freee/pending                 receipts no rule could place on a freee deal
    POST /freee/{receipt_id}/decide     {"decision": "confirm", "deal_id": N, "note": "..."}
                                        {"decision": "reject"|"not_in_freee", "note": "..."}

A decision goes through pipeline/freee_review.decide_and_queue, the same code as `supajobs
receipts freee confirm|reject`: confirm records the deal and enqueues an attach-only
freee_sync (its id is `attach_job` in the answer). An unknown receipt answers 404, one
already settled 409, a malformed body 400; none changes anything.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from supajobs import AsyncJobsClient
from supajobs_receipts.dashboard import freee_params, views
from supajobs_receipts.dashboard.params import receipt_id
from supajobs_receipts.dashboard.respond import answer, decided_by
from supajobs_receipts.pipeline.freee_api import pending_matches
from supajobs_receipts.pipeline.freee_review import decide_and_queue
from supajobs_worker.dashboard.extension import (
    ExtensionContext,
    ExtensionRoute,
    Principal,
    json_body,
)


class FreeeRoutes:
    def __init__(self, ctx: ExtensionContext) -> None:
        self._ctx = ctx

    async def pending(self, request: Request, principal: Principal) -> Response:
        async def work(client: AsyncJobsClient) -> Any:
            return {"pending": [views.freee_pending(r) for r in await pending_matches(client)]}
        return await answer(self._ctx, work)

    async def decide(self, request: Request, principal: Principal) -> Response:
        async def work(client: AsyncJobsClient) -> Any:
            rid = receipt_id(request.path_params["receipt_id"])
            made = freee_params.freee_decision(await json_body(request))
            return await decide_and_queue(client, rid, made.decision, decided_by(principal),
                                          made.deal_id, made.note)
        return await answer(self._ctx, work)

    def routes(self) -> tuple[ExtensionRoute, ...]:
        return (ExtensionRoute("/freee/pending", self.pending),
                ExtensionRoute("/freee/{receipt_id}/decide", self.decide, method="POST"))
