"""The Gmail REST calls the source uses, with Google's errors turned into MailErrors."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from supajobs_receipts.credentials import GrantError, TokenSource
from supajobs_receipts.google_api import GoogleApiError, GoogleHttp
from supajobs_receipts.mail.errors import MailAuthError, MailError
from supajobs_receipts.mail.gmail_settings import GmailSettings

log = logging.getLogger(__name__)


class GmailApiError(MailError):
    """Gmail refused or failed; `retry_after` is what Google asked to wait, if it did."""

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class HistoryTooOldError(Exception):
    """history.list answered 404: the stored historyId is older than Gmail keeps."""


@contextlib.contextmanager
def mail_errors(address: str) -> Iterator[None]:
    try:
        yield
    except GrantError as exc:
        raise MailAuthError(f"gmail {address}: {exc}") from None
    except GoogleApiError as exc:
        if exc.status in (401, 403) and not exc.retryable:
            raise MailAuthError(f"gmail {address}: access refused ({exc})") from None
        raise GmailApiError(f"gmail {address}: {exc}", retryable=exc.retryable,
                            retry_after=exc.retry_after) from None


class GmailApi:
    def __init__(self, settings: GmailSettings, http: GoogleHttp) -> None:
        self.base = settings.base_url.rstrip("/")
        self.http = http

    @classmethod
    def create(cls, settings: GmailSettings, tokens: TokenSource) -> GmailApi:
        return cls(settings, GoogleHttp("gmail", tokens))

    def _get(self, path: str, ok: tuple[int, ...] = (), **params: Any) -> Any:
        response = self.http.request("GET", f"{self.base}{path}", params=params, ok=ok)
        return None if response.status_code in ok else response.json()

    def profile(self) -> dict[str, Any]:
        return dict(self._get("/profile"))

    def list_ids(self, query: str, page_token: str | None, size: int
                 ) -> tuple[list[str], str | None]:
        params: dict[str, Any] = {"q": query, "maxResults": size}
        if page_token:
            params["pageToken"] = page_token
        body = self._get("/messages", **params)
        return [m["id"] for m in body.get("messages", [])], body.get("nextPageToken")

    def raw_message(self, message_id: str) -> dict[str, Any] | None:
        """The message with format=raw, or None when it was deleted meanwhile (404)."""
        found = self._get(f"/messages/{message_id}", ok=(404,), format="raw")
        return None if found is None else dict(found)

    def history_page(self, start: str, page_token: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {"startHistoryId": start, "historyTypes": "messageAdded"}
        if page_token:
            params["pageToken"] = page_token
        found = self._get("/history", ok=(404,), **params)
        if found is None:
            raise HistoryTooOldError(start)
        return dict(found)

    def labels(self) -> list[dict[str, Any]]:
        return list(self._get("/labels").get("labels", []))

    def create_label(self, name: str) -> dict[str, Any] | None:
        """The new label, or None when it exists already (409: created meanwhile)."""
        body = {"name": name, "labelListVisibility": "labelShow",
                "messageListVisibility": "show"}
        response = self.http.request("POST", f"{self.base}/labels", json=body, ok=(409,))
        return None if response.status_code == 409 else dict(response.json())

    def add_label(self, ids: list[str], label_id: str) -> None:
        self.http.request("POST", f"{self.base}/messages/batchModify",
                          json={"ids": ids, "addLabelIds": [label_id]})
