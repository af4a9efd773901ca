"""The receipts page's JSON routes (served under /api/receipts, behind the dashboard's guards):

    GET  /search?date_from&date_to&amount_min&amount_max&vendor&include_duplicates
                &include_deleted&limit                    receipts matching every key given
    GET  /history/{receipt_id}                            the receipt and all its versions
    GET  /duplicates                                      suggestions waiting for a person
    POST /duplicates/{suggestion_id}/decide               {"decision": "confirmed"|"rejected",
                                                           "note": "..."}

A decision is recorded as made by `dashboard:<principal>` (respond.decided_by). The freee
review list's routes are in freee_routes.py.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from supajobs import AsyncJobsClient, NotFoundError
from supajobs_receipts.dashboard import params, views
from supajobs_receipts.dashboard.respond import answer, decided_by
from supajobs_receipts.pipeline.evidence_api import EvidenceApi
from supajobs_receipts.pipeline.receipt_rows import ReceiptRow
from supajobs_receipts.pipeline.receipts_api import ReceiptsApi
from supajobs_worker.dashboard.extension import (
    BadRequestError,
    ExtensionContext,
    ExtensionRoute,
    Principal,
    json_body,
    json_error,
)


class ReceiptRoutes:
    def __init__(self, ctx: ExtensionContext) -> None:
        self._ctx = ctx

    async def search(self, request: Request, principal: Principal) -> Response:
        async def work(client: AsyncJobsClient) -> Any:
            found = await EvidenceApi(client).search(**args)
            return {"receipts": [views.receipt(r) for r in found],
                    "limited": len(found) == args["max_rows"]}

        try:
            args = params.search_args(request.query_params)
        except BadRequestError as exc:
            return json_error(str(exc), 400)
        return await answer(self._ctx, work)

    async def history(self, request: Request, principal: Principal) -> Response:
        async def work(client: AsyncJobsClient) -> Any:
            rid = params.receipt_id(request.path_params["receipt_id"])
            row = await ReceiptsApi(client).get(rid)
            versions = await EvidenceApi(client).history(rid)
            return {"receipt": views.receipt(row), "versions": [views.version(v)
                                                                for v in versions]}
        return await answer(self._ctx, work)

    async def pending(self, request: Request, principal: Principal) -> Response:
        async def work(client: AsyncJobsClient) -> Any:
            waiting = await EvidenceApi(client).pending_duplicates()
            kept = {rid: await _receipt_or_none(client, rid)
                    for rid in {p.duplicate_of for p in waiting}}
            return {"pending": [views.pending(p, kept[p.duplicate_of]) for p in waiting]}
        return await answer(self._ctx, work)

    async def decide(self, request: Request, principal: Principal) -> Response:
        async def work(client: AsyncJobsClient) -> Any:
            made, note = params.decision(await json_body(request))
            row = await EvidenceApi(client).decide_duplicate(
                int(request.path_params["suggestion_id"]), made,
                decided_by=decided_by(principal), note=note)
            return row.model_dump(mode="json")
        return await answer(self._ctx, work)

    def routes(self) -> tuple[ExtensionRoute, ...]:
        return (ExtensionRoute("/search", self.search),
                ExtensionRoute("/history/{receipt_id}", self.history),
                ExtensionRoute("/duplicates", self.pending),
                ExtensionRoute("/duplicates/{suggestion_id:int}/decide", self.decide,
                               method="POST"))


async def _receipt_or_none(client: AsyncJobsClient, rid: UUID) -> ReceiptRow | None:
    try:
        return await ReceiptsApi(client).get(str(rid))
    except NotFoundError:
        return None
