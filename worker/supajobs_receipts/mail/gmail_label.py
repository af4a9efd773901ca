"""The label put on messages once email_scan has taken them (created once, then cached)."""

from __future__ import annotations

from supajobs_receipts.mail.errors import MailProtocolError
from supajobs_receipts.mail.gmail_api import GmailApi
from supajobs_receipts.mail.model import MailMessage

BATCH = 1000  # messages.batchModify takes at most 1000 ids


class DoneLabel:
    def __init__(self, api: GmailApi, name: str) -> None:
        self.api, self.name = api, name
        self._id: str | None = None

    def label_id(self) -> str:
        if self._id is None:
            self._id = self._find() or self._create()
        return self._id

    def _find(self) -> str | None:
        for label in self.api.labels():
            if label.get("name") == self.name:
                return str(label["id"])
        return None

    def _create(self) -> str:
        created = self.api.create_label(self.name)
        if created is not None:
            return str(created["id"])
        found = self._find()  # 409: another worker created it a moment ago
        if found is None:
            raise MailProtocolError(f"gmail refused to create label {self.name!r} as existing, "
                                    "but does not list it")
        return found

    def apply(self, messages: list[MailMessage]) -> int:
        ids = [m.key for m in messages]
        for start in range(0, len(ids), BATCH):
            self.api.add_label(ids[start:start + BATCH], self.label_id())
        return len(ids)
