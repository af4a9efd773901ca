"""The freee client a sync uses: its company and its access token.

The token comes from the stored freee grant (`supajobs auth freee`; the grant store refreshes
and rotates it), the company from SUPAJOBS_FREEE_COMPANY_ID or else the one chosen at consent.
SUPAJOBS_FREEE_ACCESS_TOKEN, a fixed token, is for development and tests only. No grant is
GrantMissingError: the sync stops before anything is uploaded.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from supajobs.errors import ConfigurationError
from supajobs_receipts.credentials import GrantMissingError, StaticTokenSource, TokenSource
from supajobs_receipts.freee import FreeeClient
from supajobs_receipts.pipeline.freee_settings import FreeeSettings
from supajobs_receipts.pipeline.grant_store import GrantStore

if TYPE_CHECKING:
    from supajobs_receipts.pipeline.context import Pipeline


async def freee_client(settings: FreeeSettings, pipe: Pipeline) -> FreeeClient:
    fixed = os.environ.get("SUPAJOBS_FREEE_ACCESS_TOKEN", "").strip()
    tokens: TokenSource
    company = settings.company_id
    if fixed:
        tokens = StaticTokenSource("freee", fixed)
    else:
        grant = await GrantStore(pipe.client).get("freee")
        if grant is None:  # first: a missing grant is the error a user must see
            raise GrantMissingError("freee")
        tokens = pipe.token_source("freee")
        if company is None and isinstance(grant.extra.get("company_id"), int):
            company = grant.extra["company_id"]
    if company is None:
        raise ConfigurationError("no freee company: set SUPAJOBS_FREEE_COMPANY_ID (the 事業所 "
                                 "id) or connect with `supajobs auth freee`")
    return FreeeClient(tokens, company)
