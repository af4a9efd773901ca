"""The freee contract checker itself: it passes what freee describes and names what it does not."""

from __future__ import annotations

import httpx
import pytest

from support.freee_contract import ContractError, check_request

API = "https://api.freee.co.jp/api/1"


def test_a_described_request_passes() -> None:
    op = check_request(httpx.Request("GET", f"{API}/deals", params={
        "company_id": 1, "type": "expense", "start_issue_date": "2026-11-01", "limit": 100}))
    assert op.key == "GET /api/1/deals"
    put = httpx.Request("PUT", f"{API}/deals/42", json={"company_id": 1, "receipt_ids": [3]})
    assert check_request(put).key == "PUT /api/1/deals/{id}"
    upload = httpx.Request("POST", f"{API}/receipts", data={"company_id": "1"},
                           files={"receipt": ("r.pdf", b"%PDF", "application/pdf")})
    assert check_request(upload).key == "POST /api/1/receipts"


@pytest.mark.parametrize(("request_", "problem"), [
    (httpx.Request("GET", f"{API}/deal", params={"company_id": 1}), "not an operation"),
    (httpx.Request("PATCH", f"{API}/deals/1", json={"company_id": 1}), "not an operation"),
    (httpx.Request("GET", f"{API}/deals"), "required query parameter 'company_id'"),
    (httpx.Request("GET", f"{API}/deals", params={"company_id": "x"}), "not an integer"),
    (httpx.Request("GET", f"{API}/deals", params={"company_id": 1, "sort": "a"}),
     "unknown query parameter 'sort'"),
    (httpx.Request("GET", f"{API}/deals/abc", params={"company_id": 1}), "path parameter id"),
    (httpx.Request("POST", f"{API}/receipts", json={"company_id": 1}), "multipart/form-data"),
    (httpx.Request("PUT", f"{API}/deals/1", json={"receipt_ids": [1]}), "company_id"),
    (httpx.Request("PUT", f"{API}/deals/1", data={"company_id": "1"}), "needs a JSON body"),
    (httpx.Request("GET", "https://example.com/api/1/deals"), "not freee's API host"),
])
def test_what_freee_does_not_describe_is_named(request_: httpx.Request, problem: str) -> None:
    with pytest.raises(ContractError, match=problem):
        check_request(request_)
