"""Which freee company a grant works for: `GET /api/1/companies` (freee accounting API), the
one chosen with --company-id, or the only one."""

from __future__ import annotations

from typing import Any

import httpx

from supajobs.errors import ValidationError
from supajobs_receipts.pipeline.oauth_settings import FREEE_COMPANIES_URL
from supajobs_receipts.pipeline.token_endpoint import TokenEndpointUnavailableError


async def list_companies(access_token: str) -> list[dict[str, Any]]:
    try:
        async with httpx.AsyncClient(timeout=20.0) as http:
            response = await http.get(FREEE_COMPANIES_URL,
                                      headers={"Authorization": f"Bearer {access_token}"})
    except httpx.HTTPError as exc:
        raise TokenEndpointUnavailableError(
            f"freee's company list is unreachable ({type(exc).__name__})") from None
    if response.status_code != 200:
        raise TokenEndpointUnavailableError(
            f"freee answered {response.status_code} to GET /api/1/companies")
    companies = response.json().get("companies")
    if not isinstance(companies, list):
        raise TokenEndpointUnavailableError("freee's company list has no `companies`")
    return [c for c in companies if isinstance(c, dict) and isinstance(c.get("id"), int)]


def choose_company(companies: list[dict[str, Any]], wanted: int | None) -> dict[str, Any]:
    listed = ", ".join(f"{c['id']} ({c.get('display_name') or c.get('name') or '?'})"
                       for c in companies)
    if wanted is not None:
        for company in companies:
            if company["id"] == wanted:
                return company
        raise ValidationError(f"company {wanted} is not one this freee account can use "
                              f"(it can use: {listed or 'none'}); nothing stored",
                              field="company_id")
    if len(companies) == 1:
        return companies[0]
    if not companies:
        raise ValidationError("this freee account belongs to no company: nothing stored",
                              field="company_id")
    raise ValidationError(f"this freee account can use several companies: {listed}; choose "
                          "one with --company-id (nothing stored)", field="company_id")
