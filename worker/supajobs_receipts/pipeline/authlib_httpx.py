"""authlib's httpx integration, imported once. authlib 1.9 warns on import that it would
rather use the `httpx2` fork; supajobs runs on httpx (respx mocks it, the SDK uses it), so
that warning says nothing to an operator and is kept out of the CLI's output."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.filterwarnings("ignore", message="The httpx module is deprecated")
    from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError

__all__ = ["AsyncOAuth2Client", "OAuthError"]
