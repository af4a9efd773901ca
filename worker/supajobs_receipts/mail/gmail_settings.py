"""Which Gmail account to read, which mail counts as a receipt, and the label for taken mail.

The default query finds receipts the way a person would search for them: a receipt word in
the subject (Japanese and English), or such a word in a mail with an attachment, or a mail
from a sender that sends receipts as HTML (stores, app stores, cloud and payment services).
Gmail search binds OR tighter than the implicit AND, so every group is bracketed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

RECEIPT_WORDS = ("領収書", "領収証", "請求書", "ご請求", "ご利用明細", "お支払い", "ご購入",
                 "ご注文", "receipt", "invoice", '"payment confirmation"', '"order confirmation"',
                 '"your order"')
RECEIPT_SENDERS = ("amazon.co.jp", "amazon.com", "email.apple.com", "stripe.com", "paypal.com",
                   "payments-noreply@google.com", "aws.amazon.com", "github.com",
                   "rakuten.co.jp", "mercari.jp", "uber.com", "yodobashi.com", "booking.com")
_WORDS = " OR ".join(RECEIPT_WORDS)
DEFAULT_QUERY = (f"(subject:({_WORDS}) OR (has:attachment ({_WORDS})) OR "
                 f"from:({' OR '.join(RECEIPT_SENDERS)})) -in:chats")
DEFAULT_LABEL = "supajobs/processed"


class GmailSettings(BaseModel):
    """`address` names the mailbox (its checkpoint) and is checked against the token's
    account, so a token for another account can never move this mailbox's checkpoint."""

    model_config = ConfigDict(frozen=True)
    address: str = Field(min_length=3, pattern=r"^[^@\s]+@[^@\s]+$")
    query: str = Field(default=DEFAULT_QUERY, min_length=1)
    label: str = Field(default=DEFAULT_LABEL, min_length=1, max_length=225)
    # At most this many messages per run; the rest wait in the checkpoint for the next run.
    max_messages: int = Field(default=200, ge=1)
    page_size: int = Field(default=100, ge=1, le=500)
    # history.list has no query: new ids are kept if the query lists them among the mail
    # of the last days (Gmail's after: is coarse, hence the margin).
    history_margin_seconds: int = Field(default=2 * 86400, ge=3600)
    base_url: str = "https://gmail.googleapis.com/gmail/v1/users/me"


def label_search_term(label: str) -> str:
    """How Gmail's search names a label: spaces and slashes become hyphens."""
    return "label:" + "".join("-" if ch in " /" else ch for ch in label)
