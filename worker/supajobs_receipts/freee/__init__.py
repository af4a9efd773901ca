"""freee accounting API (https://api.freee.co.jp/api/1): File Box uploads, expense deals,
wallet transactions, partners, attaching a receipt to a deal without changing anything else.

Blocking (httpx.Client) like the other remote sources: the job steps run it in threads.
"""

from supajobs_receipts.freee.attach import AttachOutcome, attach_receipt
from supajobs_receipts.freee.client import FreeeClient
from supajobs_receipts.freee.errors import (
    FreeeAuthError,
    FreeeError,
    FreeeForbiddenError,
    FreeeRequestError,
    FreeeThrottledError,
    FreeeUnavailableError,
    FreeeUnchangedError,
)
from supajobs_receipts.freee.models import FreeeDeal, FreeeReceipt, UploadFields

__all__ = ["AttachOutcome", "FreeeAuthError", "FreeeClient", "FreeeDeal", "FreeeError",
           "FreeeForbiddenError", "FreeeReceipt", "FreeeRequestError", "FreeeThrottledError",
           "FreeeUnavailableError", "FreeeUnchangedError", "UploadFields", "attach_receipt"]
