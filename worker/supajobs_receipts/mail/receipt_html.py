"""Deciding whether an HTML mail body is a receipt worth keeping as a document."""

from __future__ import annotations

import html
import re
import unicodedata

# Words that by themselves mark a receipt, an invoice or an order confirmation.
STRONG_WORDS = (
    "領収書",
    "領収証",
    "ご注文",
    "注文確認",
    "ご購入",
    "ご請求",
    "請求書",
    "お支払い明細",
    "receipt",
    "invoice",
    "order confirmation",
    "your order",
    "payment confirmation",
)
# Words that mark a receipt only next to an amount of money.
TOTAL_WORDS = ("合計", "総額", "税込", "お支払い金額", "ご請求金額", "total", "amount due")
_MONEY = re.compile(r"[¥￥$€]\s?\d[\d,]*|\d[\d,]*\s?円|\b(?:jpy|usd|eur)\s?\d", re.IGNORECASE)
_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.IGNORECASE | re.DOTALL)


def html_text(markup: str) -> str:
    """The visible text of HTML, NFKC-normalised (full-width digits and ￥ become ASCII)."""
    text = html.unescape(_TAGS.sub(" ", markup))
    return " ".join(unicodedata.normalize("NFKC", text).split())


def is_receipt_like(markup: str) -> bool:
    text = html_text(markup)
    folded = text.casefold()
    if any(word in folded for word in STRONG_WORDS):
        return True
    return any(word in folded for word in TOTAL_WORDS) and bool(_MONEY.search(text))
