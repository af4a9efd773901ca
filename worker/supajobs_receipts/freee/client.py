"""The freee accounting operations the receipt pipeline uses, one method each.

Every call is one request against the company's daily budget; listings page by
offset/limit (at freee's maximum page size) so a month of deals is a few calls.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from supajobs_receipts.credentials import TokenSource
from supajobs_receipts.freee.errors import FreeeError
from supajobs_receipts.freee.http import FreeeHttp
from supajobs_receipts.freee.models import FreeeDeal, FreeeReceipt, UploadFields
from supajobs_receipts.freee.wallet import WalletTxn

DEALS_PAGE = 100  # GET /deals and /wallet_txns: limit ≤ 100
RECEIPTS_PAGE = 3000  # GET /receipts and /partners: limit ≤ 3000


def _list(body: Any, key: str, what: str) -> list[dict[str, Any]]:
    rows = body.get(key) if isinstance(body, dict) else None
    if not isinstance(rows, list):
        raise FreeeError(f"freee {what}: the answer has no {key!r} list")
    return rows


class FreeeClient:
    def __init__(self, tokens: TokenSource, company_id: int, *,
                 http: httpx.Client | None = None) -> None:
        if company_id < 1:
            raise ValueError(f"freee company_id must be a positive number, got {company_id}")
        self.company_id = company_id
        self._http = FreeeHttp(tokens, client=http)

    def close(self) -> None:
        self._http.close()

    def upload_receipt(self, fields: UploadFields, data: bytes, filename: str,
                       content_type: str) -> FreeeReceipt:
        """POST /receipts (multipart): the file into the File Box with its metadata."""
        body = self._http.request(
            "POST", "/api/1/receipts", "upload to the File Box",
            data=fields.form(self.company_id), files={"receipt": (filename, data, content_type)})
        return FreeeReceipt.model_validate((body or {}).get("receipt"))

    def find_upload(self, sha256: str, uploaded_from: dt.date, uploaded_to: dt.date
                    ) -> FreeeReceipt | None:
        """The File Box file an earlier upload of `sha256` made, if any (GET /receipts by
        upload date; the sha256 is in each of our uploads' description)."""
        offset = 0
        while True:
            rows = _list(self._http.request("GET", "/api/1/receipts", "list the File Box", params={
                "company_id": self.company_id, "start_date": uploaded_from.isoformat(),
                "end_date": uploaded_to.isoformat(), "offset": offset,
                "limit": RECEIPTS_PAGE}), "receipts", "list the File Box")
            for row in rows:
                found = FreeeReceipt.model_validate(row)
                if found.sha256() == sha256 and found.status != "deleted":
                    return found
            if len(rows) < RECEIPTS_PAGE:
                return None
            offset += len(rows)

    def list_expense_deals(self, start: dt.date, end: dt.date) -> dict[str, Any]:
        """GET /deals?type=expense for the issue-date window, every page: freee's body
        shape (`{"deals": [...], "meta": {"total_count": n}}`) with all the deals."""
        deals: list[dict[str, Any]] = []
        while True:
            body = self._http.request("GET", "/api/1/deals", "list deals", params={
                "company_id": self.company_id, "type": "expense",
                "start_issue_date": start.isoformat(), "end_issue_date": end.isoformat(),
                "offset": len(deals), "limit": DEALS_PAGE})
            page = _list(body, "deals", "list deals")
            deals += page
            total = body.get("meta", {}).get("total_count") if isinstance(body, dict) else None
            if not page or len(page) < DEALS_PAGE or (isinstance(total, int)
                                                      and len(deals) >= total):
                return {"deals": deals, "meta": {"total_count": len(deals)}}

    def list_wallet_txns(self, start: dt.date, end: dt.date) -> list[WalletTxn]:
        """GET /wallet_txns (expense side): the feed's lines, for deals not yet registered."""
        txns: list[WalletTxn] = []
        while True:
            body = self._http.request("GET", "/api/1/wallet_txns", "list wallet txns", params={
                "company_id": self.company_id, "entry_side": "expense",
                "start_date": start.isoformat(), "end_date": end.isoformat(),
                "offset": len(txns), "limit": DEALS_PAGE})
            page = _list(body, "wallet_txns", "list wallet txns")
            txns += [WalletTxn.model_validate(row) for row in page]
            if len(page) < DEALS_PAGE:
                return txns

    def list_partners(self) -> dict[str, Any]:
        """GET /partners, every page: freee's body shape with all the partners."""
        partners: list[dict[str, Any]] = []
        while True:
            page = _list(self._http.request("GET", "/api/1/partners", "list partners", params={
                "company_id": self.company_id, "offset": len(partners),
                "limit": RECEIPTS_PAGE}), "partners", "list partners")
            partners += page
            if len(page) < RECEIPTS_PAGE:
                return {"partners": partners}

    def get_deal(self, deal_id: int) -> FreeeDeal:
        body = self._http.request("GET", f"/api/1/deals/{deal_id}", f"read deal {deal_id}",
                                  params={"company_id": self.company_id})
        return FreeeDeal.model_validate((body or {}).get("deal"))

    def update_deal(self, deal_id: int, params: dict[str, Any]) -> FreeeDeal:
        body = self._http.request("PUT", f"/api/1/deals/{deal_id}", f"update deal {deal_id}",
                                  json=params)
        return FreeeDeal.model_validate((body or {}).get("deal"))

    def create_deal(self, params: dict[str, Any]) -> FreeeDeal:
        """POST /deals (`dealCreateParams`), for a receipt no deal exists for."""
        body = self._http.request("POST", "/api/1/deals", "create a deal",
                                  json={**params, "company_id": self.company_id})
        return FreeeDeal.model_validate((body or {}).get("deal"))
