"""GmailSource: a first full scan by query, then history.list from the stored historyId.

Same shape as ImapSource and MaildirSource (`fetch_new(checkpoint)`), plus `mark_done`:
email_scan labels the messages after their documents are stored and their jobs enqueued,
and before the checkpoint moves, so a crash anywhere re-reads mail instead of losing it.
Nothing is ever deleted, archived or marked read; the only change is the added label.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from supajobs_receipts.credentials import TokenSource
from supajobs_receipts.mail.errors import MailAuthError
from supajobs_receipts.mail.gmail_api import GmailApi, HistoryTooOldError, mail_errors
from supajobs_receipts.mail.gmail_checkpoint import GmailCheckpoint
from supajobs_receipts.mail.gmail_fetch import fetch_messages
from supajobs_receipts.mail.gmail_history import added_since, matching
from supajobs_receipts.mail.gmail_label import DoneLabel
from supajobs_receipts.mail.gmail_settings import GmailSettings, label_search_term
from supajobs_receipts.mail.model import MailMessage

log = logging.getLogger(__name__)


class GmailSource:
    def __init__(self, settings: GmailSettings, tokens: TokenSource, *,
                 api: GmailApi | None = None, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.api = api or GmailApi.create(settings, tokens)
        self.label = DoneLabel(self.api, settings.label)
        self._clock = clock

    def fetch_new(self, checkpoint: GmailCheckpoint | None
                  ) -> tuple[list[MailMessage], GmailCheckpoint]:
        with mail_errors(self.settings.address):
            return self._fetch(checkpoint)

    def mark_done(self, messages: list[MailMessage]) -> int:
        """Label the messages taken; returns how many were labelled."""
        with mail_errors(self.settings.address):
            return self.label.apply(messages) if messages else 0

    def _fetch(self, checkpoint: GmailCheckpoint | None
               ) -> tuple[list[MailMessage], GmailCheckpoint]:
        point = checkpoint or self._fresh()
        ids = list(point.pending)
        if not point.full_scan_done:
            ids, point = self._scan(ids, point)
        else:
            try:
                ids, point = self._sync(ids, point)
            except HistoryTooOldError:
                log.warning("gmail %s: historyId %s is too old for history.list; scanning "
                            "by query again", self.settings.address, point.history_id)
                ids, point = self._scan(ids, self._fresh())
        limit = self.settings.max_messages
        messages = fetch_messages(self.api, ids[:limit], self.label.label_id())
        return messages, point.model_copy(update={"pending": tuple(ids[limit:])})

    def _fresh(self) -> GmailCheckpoint:
        profile = self.api.profile()
        if str(profile.get("emailAddress", "")).lower() != self.settings.address.lower():
            raise MailAuthError(f"the Google token is for {profile.get('emailAddress')!r}, "
                                f"not for {self.settings.address!r}: connect the right account")
        return GmailCheckpoint(history_id=str(profile["historyId"]),
                               synced_at=int(self._clock()))

    def _scan(self, ids: list[str], point: GmailCheckpoint
              ) -> tuple[list[str], GmailCheckpoint]:
        """Pages of the query until a run's worth of ids is known or the scan is over."""
        query = f"({self.settings.query}) -{label_search_term(self.settings.label)}"
        token, known = point.page_token, dict.fromkeys(ids)
        while len(known) < self.settings.max_messages:
            page, token = self.api.list_ids(query, token, self.settings.page_size)
            known.update(dict.fromkeys(page))
            if token is None:
                break
        done = token is None
        return list(known), point.model_copy(update={"page_token": token,
                                                     "full_scan_done": done})

    def _sync(self, ids: list[str], point: GmailCheckpoint
              ) -> tuple[list[str], GmailCheckpoint]:
        started = int(self._clock())
        added, latest = added_since(self.api, point.history_id)
        since = point.synced_at - self.settings.history_margin_seconds
        fresh = matching(self.api, [i for i in added if i not in set(ids)],
                         self.settings.query, max(0, since), self.settings.page_size)
        return ids + fresh, point.model_copy(update={"history_id": latest,
                                                     "synced_at": started})
