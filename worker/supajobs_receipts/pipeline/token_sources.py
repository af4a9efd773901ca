"""The token source a pipeline step hands to a blocking client: the stored grant of a
provider, refreshed through its OAuth client (SUPAJOBS_<PROVIDER>_CLIENT_ID / _SECRET)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from supajobs.client import AsyncJobsClient
from supajobs_receipts.credentials import TokenSource
from supajobs_receipts.pipeline.blocking_tokens import BlockingTokenSource
from supajobs_receipts.pipeline.grant_store import GrantStore
from supajobs_receipts.pipeline.grant_tokens import GrantTokens
from supajobs_receipts.pipeline.oauth_settings import check_provider, oauth_client


def stored_grant_source(client: AsyncJobsClient, provider: str,
                        env: Mapping[str, str] | None = None) -> TokenSource:
    """Call inside the worker's event loop; use the result from worker threads."""
    tokens = GrantTokens(GrantStore(client), oauth_client(check_provider(provider), env))
    return BlockingTokenSource(tokens, asyncio.get_running_loop())
