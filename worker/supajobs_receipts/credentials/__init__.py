"""OAuth 2.0 access for the mail source, the file stores and freee (the port; the token store
that refreshes and rotates grants lives in `pipeline`, the first consent in `cli_auth`)."""

from supajobs_receipts.credentials.port import (
    GrantError,
    GrantMissingError,
    GrantRevokedError,
    StaticTokenSource,
    TokenSource,
)

__all__ = ["GrantError", "GrantMissingError", "GrantRevokedError", "StaticTokenSource",
           "TokenSource"]
