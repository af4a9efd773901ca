"""The freee client a sync uses: its company and its access token.

The token comes from the stored freee grant (the credentials store refreshes and rotates
it); SUPAJOBS_FREEE_ACCESS_TOKEN, a fixed token, is for development and tests only. No
grant is GrantMissingError: the sync stops before anything is uploaded.
"""

from __future__ import annotations

import os

from supajobs.errors import ConfigurationError
from supajobs_receipts.credentials import GrantMissingError, StaticTokenSource, TokenSource
from supajobs_receipts.freee import FreeeClient
from supajobs_receipts.pipeline.freee_settings import FreeeSettings


def freee_tokens() -> TokenSource:
    fixed = os.environ.get("SUPAJOBS_FREEE_ACCESS_TOKEN", "").strip()
    if fixed:
        return StaticTokenSource("freee", fixed)
    # Seam for the stored grant (receipts' OAuth grant store): it returns its TokenSource
    # here once merged; until then no fixed token means no grant.
    raise GrantMissingError("freee")


def freee_client(settings: FreeeSettings) -> FreeeClient:
    tokens = freee_tokens()  # first: a missing grant is the error a user must see
    if settings.company_id is None:
        raise ConfigurationError("no freee company: set SUPAJOBS_FREEE_COMPANY_ID (the 事業所 "
                                 "id) or connect with `supajobs auth freee`")
    return FreeeClient(tokens, settings.company_id)
