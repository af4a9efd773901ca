"""Vendor names compared loosely: 「株式会社ＡＢＣ」, "(株)ABC" and "abc" are the same shop."""

from __future__ import annotations

import re
import unicodedata

# Legal-form words that vary between receipts of the same shop (after NFKC, so ㈱ → (株)).
_LEGAL_FORMS = re.compile(
    r"株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|\(株\)|\(有\)|\(同\)"
    r"|\b(?:co\.?,?\s*ltd\.?|inc\.?|llc|corp\.?|corporation|k\.?k\.?|g\.?k\.?)(?=\W|$)",
    re.IGNORECASE,
)
_NOT_WORD = re.compile(r"[\W_]+")


def normalize_vendor(vendor: str | None) -> str | None:
    """A comparison key for a vendor name, or None when nothing identifying is left."""
    if vendor is None:
        return None
    text = unicodedata.normalize("NFKC", vendor).casefold()
    text = _LEGAL_FORMS.sub(" ", text)
    text = _NOT_WORD.sub("", text)
    return text or None
