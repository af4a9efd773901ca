"""A stateful fake of the part of freee the pipeline uses, behind respx, with every request
checked against freee's description (freee_contract) and bodies (freee_bodies).

It behaves as freee documents: PUT /deals/{id} *replaces* the lines and files with what it
is sent (a line without its id is new, a line left out is gone, an optional field left out
is cleared), so a client that does not send the deal back whole visibly changes it.
Faults are queued per operation: `fake.fail("POST /api/1/receipts", "timeout_after")`.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import respx

from support.freee_bodies import DealUpdateParams, check_receipt_form
from support.freee_contract import HOST, Operation, checked

USER = {"id": 1, "email": "owner@example.com", "display_name": "owner"}


def parse_multipart(request: httpx.Request) -> tuple[dict[str, str], dict[str, bytes]]:
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes), part
        if part.get_filename():
            files[str(name)] = payload
        else:
            fields[str(name)] = payload.decode()
    return fields, files


def detail(id_: int, amount: int, **extra: Any) -> dict[str, Any]:
    return {"id": id_, "account_item_id": 801, "tax_code": 136, "amount": amount,
            "vat": amount * 10 // 110, "entry_side": "debit", "description": "",
            "partner_id": None, "item_id": None, "section_id": None, "tag_ids": [],
            "segment_1_tag_id": None, "segment_2_tag_id": None, "segment_3_tag_id": None, **extra}


def deal(id_: int, issue_date: str, amount: int, *, partner_id: int | None = None,
         receipts: list[int] = (), **extra: Any) -> dict[str, Any]:  # type: ignore[assignment]
    return {"id": id_, "company_id": 1, "issue_date": issue_date, "due_date": None,
            "amount": amount, "due_amount": 0, "type": "expense", "partner_id": partner_id,
            "partner_code": None, "ref_number": None, "status": "settled",
            "deal_origin_name": "口座連携", "details": [detail(id_ * 10, amount)],
            "payments": [{"id": id_ * 100, "date": issue_date, "from_walletable_type":
                          "credit_card", "from_walletable_id": 7, "amount": amount}],
            "receipts": [{"id": r, "status": "confirmed", "mime_type": "application/pdf",
                          "origin": "public_api", "created_at": "2026-12-01T09:00:00+09:00",
                          "file_src": f"https://example/{r}", "user": USER} for r in receipts],
            **extra}


class FakeFreee:
    def __init__(self, company_id: int = 1) -> None:
        self.company_id = company_id
        self.deals: dict[int, dict[str, Any]] = {}
        self.partners: list[dict[str, Any]] = []
        self.wallet_txns: list[dict[str, Any]] = []
        self.receipts: dict[int, dict[str, Any]] = {}
        self.uploaded: dict[int, bytes] = {}
        self.seen: list[Operation] = []
        self.tokens: list[str] = []
        self.valid_tokens = {"good-token"}
        self.faults: dict[str, list[str]] = defaultdict(list)
        self._ids = itertools.count(5001)

    def fail(self, operation: str, *faults: str) -> None:
        """Queue faults for an operation ("POST /api/1/receipts"): throttle403, 429,
        forbidden, 500, timeout_before, timeout_after (applied, then no answer)."""
        self.faults[operation] += faults

    def calls(self, key: str) -> int:
        return sum(op.key == key for op in self.seen)

    @contextmanager
    def mocked(self) -> Iterator[respx.MockRouter]:
        with respx.mock(assert_all_called=False) as router:
            router.route(host=HOST).mock(side_effect=checked(self._answer, self.seen))
            yield router

    def _answer(self, request: httpx.Request) -> httpx.Response:
        op = self.seen[-1]
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        self.tokens.append(token)
        if token not in self.valid_tokens:
            return httpx.Response(401, json={"message": "アクセスする権限がありません",
                                             "code": "expired_access_token"})
        fault = self.faults[op.key].pop(0) if self.faults[op.key] else None
        if fault == "timeout_before":
            raise httpx.ReadTimeout("timed out", request=request)
        if fault == "throttle403":
            return httpx.Response(403, json={"message": "API利用上限に達しました"})
        if fault == "429":
            return httpx.Response(429, headers={"Retry-After": "42"}, json={
                "status_code": 429, "errors": [{"type": "status", "messages": ["Too many"]}]})
        if fault == "forbidden":
            return httpx.Response(403, json={"message": "アプリケーションにアクセス権がありません",
                                             "code": "user_do_not_have_permission"})
        if fault == "500":
            return httpx.Response(500, json={"status_code": 500, "errors": [
                {"type": "status", "messages": ["内部エラー"]}]})
        response = self._apply(op, request)
        if fault == "timeout_after":
            raise httpx.ReadTimeout("timed out after applying", request=request)
        return response

    def _apply(self, op: Operation, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        if op.key == "POST /api/1/receipts":
            fields, files = parse_multipart(request)
            check_receipt_form(fields)
            assert set(files) == {"receipt"}, files
            rid = next(self._ids)
            row = {"id": rid, "status": "confirmed", "description": fields.get("description", ""),
                   "mime_type": "application/pdf", "origin": "public_api",
                   "created_at": "2026-12-08T09:00:00+09:00", "user": USER,
                   "receipt_metadatum": {
                       "partner_name": fields.get("receipt_metadatum_partner_name"),
                       "issue_date": fields.get("receipt_metadatum_issue_date"),
                       "amount": int(fields["receipt_metadatum_amount"])
                       if "receipt_metadatum_amount" in fields else None},
                   "qualified_invoice": fields.get("qualified_invoice"),
                   "document_type": fields.get("document_type")}
            self.receipts[rid] = row
            self.uploaded[rid] = files["receipt"]
            return httpx.Response(201, json={"receipt": row})
        if op.key == "GET /api/1/receipts":
            offset, limit = int(params.get("offset", 0)), int(params.get("limit", 50))
            rows = list(self.receipts.values())[offset:offset + limit]
            return httpx.Response(200, json={"receipts": rows})
        if op.key == "GET /api/1/deals":
            found = [d for d in self.deals.values()
                     if d["type"] == params.get("type", d["type"])
                     and params.get("start_issue_date", "") <= d["issue_date"]
                     <= params.get("end_issue_date", "9999")]
            offset, limit = int(params.get("offset", 0)), int(params.get("limit", 20))
            return httpx.Response(200, json={"deals": found[offset:offset + limit],
                                             "meta": {"total_count": len(found)}})
        if op.key == "GET /api/1/deals/{id}":
            one = self.deals.get(int(request.url.path.rsplit("/", 1)[1]))
            if one is None:
                return httpx.Response(404, json={"status_code": 404, "errors": [
                    {"type": "status", "messages": ["取引が見つかりません"]}]})
            return httpx.Response(200, json={"deal": one})
        if op.key == "PUT /api/1/deals/{id}":
            return self._update(int(request.url.path.rsplit("/", 1)[1]), request)
        if op.key == "GET /api/1/partners":
            return httpx.Response(200, json={"partners": self.partners})
        if op.key == "GET /api/1/wallet_txns":
            return httpx.Response(200, json={"wallet_txns": self.wallet_txns})
        raise AssertionError(f"the fake does not answer {op.key}")

    def _update(self, deal_id: int, request: httpx.Request) -> httpx.Response:
        sent = DealUpdateParams.model_validate_json(request.content)
        old = self.deals[deal_id]
        old_lines = {line["id"]: line for line in old["details"]}
        lines = []
        for line in json.loads(request.content)["details"]:
            kept = old_lines.get(line.get("id"), {})
            new = detail(line.get("id") or next(self._ids), line["amount"])
            new.update({k: None for k in ("description", "vat")})
            new.update({"entry_side": kept.get("entry_side", "debit"), **line})
            new["description"] = new["description"] or ""
            lines.append(new)
        receipts = [{**next((r for r in old["receipts"] if r["id"] == rid),
                            {"id": rid, "status": "confirmed", "mime_type": "application/pdf",
                             "origin": "public_api", "created_at": "2026-12-08T09:00:00+09:00",
                             "file_src": f"https://example/{rid}", "user": USER})}
                    for rid in sent.receipt_ids or []]
        updated = {**old, "issue_date": sent.issue_date, "type": sent.type,
                   "due_date": sent.due_date, "partner_id": sent.partner_id,
                   "partner_code": sent.partner_code, "ref_number": sent.ref_number,
                   "details": lines, "receipts": receipts}
        self.deals[deal_id] = updated
        return httpx.Response(200, json={"deal": updated})
