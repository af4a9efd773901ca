"""What the Gmail source and the Drive store share: an HTTP client for Google's REST APIs that
attaches the OAuth token, renews it once on 401 and backs off on throttling within a bound."""

from supajobs_receipts.google_api.errors import GoogleApiError, GoogleTransportError
from supajobs_receipts.google_api.http import GoogleHttp, RetryPolicy

__all__ = ["GoogleApiError", "GoogleHttp", "GoogleTransportError", "RetryPolicy"]
