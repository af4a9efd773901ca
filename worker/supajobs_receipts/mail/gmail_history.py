"""Incremental sync: the ids added since a historyId, kept only if the query matches them."""

from __future__ import annotations

from supajobs_receipts.mail.gmail_api import GmailApi


def added_since(api: GmailApi, start: str) -> tuple[list[str], str]:
    """Ids of messages added after `start` (oldest first, each once) and the mailbox's
    current historyId. Raises HistoryTooOldError when Gmail no longer has `start`."""
    ids: dict[str, None] = {}
    token: str | None = None
    latest = start
    while True:
        page = api.history_page(start, token)
        latest = str(page.get("historyId") or latest)
        for record in page.get("history", []):
            for added in record.get("messagesAdded", []):
                message = added.get("message", {})
                if "DRAFT" not in message.get("labelIds", []):
                    ids.setdefault(message["id"])
        token = page.get("nextPageToken")
        if not token:
            return list(ids), latest


def matching(api: GmailApi, ids: list[str], query: str, after: int, page_size: int
             ) -> list[str]:
    """Those of `ids` the query lists among the mail after `after` (unix seconds): history
    has no query of its own, and this costs one list call per page, not one get per id."""
    if not ids:
        return []
    wanted, listed = set(ids), set[str]()
    token: str | None = None
    while True:
        page, token = api.list_ids(f"({query}) after:{after}", token, page_size)
        listed.update(page)
        if not token or wanted <= listed:
            return [i for i in ids if i in listed]
