"""Incremental IMAP scan: only messages above the last UID seen under the same UIDVALIDITY.

The mailbox is opened read-only (EXAMINE) and bodies are fetched with BODY.PEEK, so a
scan never marks the owner's mail as read or changes it in any way.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
from datetime import UTC, datetime

from .errors import MailboxMissingError, MailConnectionError, MailError, MailProtocolError
from .imap_batches import plan_batches, unbroken_run
from .imap_connect import connect
from .imap_names import encode_mailbox, imap_date, internaldate
from .imap_settings import ImapSettings
from .model import Checkpoint, MailMessage

_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


class ImapSource:
    def __init__(self, settings: ImapSettings) -> None:
        self.settings = settings

    def fetch_new(self, checkpoint: Checkpoint | None) -> tuple[list[MailMessage], Checkpoint]:
        """New messages (oldest first) and the checkpoint to store once they are handled.

        A changed UIDVALIDITY means the old UIDs name other messages now, so the scan
        starts over from UID 1; downstream idempotency (Message-ID + sha256) keeps the
        documents already taken from being taken twice."""
        conn = connect(self.settings)
        try:
            return self._scan(conn, checkpoint)
        except (imaplib.IMAP4.abort, OSError) as exc:
            raise MailConnectionError(f"IMAP server {self.settings.address}: {exc}") from exc
        except imaplib.IMAP4.error as exc:
            raise MailProtocolError(f"IMAP server {self.settings.address}: {exc}") from exc
        finally:
            _logout(conn)

    def _scan(
        self, conn: imaplib.IMAP4, checkpoint: Checkpoint | None
    ) -> tuple[list[MailMessage], Checkpoint]:
        uidvalidity = self._examine(conn)
        same = checkpoint is not None and checkpoint.uidvalidity == uidvalidity
        last = checkpoint.last_uid if same and checkpoint is not None else 0
        uids = self._new_uids(conn, last)[: self.settings.max_messages]
        sizes = _sizes(conn, uids) if uids else {}
        fetched: dict[int, MailMessage] = {}
        for batch in plan_batches(
            uids, sizes, self.settings.fetch_batch, self.settings.fetch_bytes
        ):
            fetched.update((m.uid or 0, m) for m in _fetch(conn, batch))
        messages = unbroken_run(uids, fetched)
        new_last = messages[-1].uid if messages and messages[-1].uid else last
        return messages, Checkpoint(uidvalidity=uidvalidity, last_uid=new_last)

    def _examine(self, conn: imaplib.IMAP4) -> int:
        mailbox = self.settings.mailbox
        typ, data = conn.select(encode_mailbox(mailbox), readonly=True)
        if typ != "OK":
            detail = data[0].decode(errors="replace") if data and data[0] else typ
            raise MailboxMissingError(
                f"mailbox {mailbox!r} on {self.settings.address} cannot be opened: {detail}"
            )
        _, values = conn.response("UIDVALIDITY")
        if not values or values[0] is None:
            raise MailProtocolError(f"{self.settings.address} sent no UIDVALIDITY for {mailbox!r}")
        return int(values[0])

    def _new_uids(self, conn: imaplib.IMAP4, last: int) -> list[int]:
        criteria = ["UID", f"{last + 1}:*"]
        if self.settings.since is not None:  # on every run, or older mail would come later
            criteria += ["SINCE", imap_date(self.settings.since)]
        typ, data = conn.uid("SEARCH", *criteria)
        if typ != "OK":
            raise MailProtocolError(f"UID SEARCH failed on {self.settings.address}: {data!r}")
        found = [int(x) for x in b" ".join(d for d in data if d).split()]
        # "n:*" always matches the highest UID, even when it is below n.
        return sorted(uid for uid in found if uid > last)


def _sizes(conn: imaplib.IMAP4, uids: list[int]) -> dict[int, int]:
    typ, data = conn.uid("FETCH", ",".join(map(str, uids)), "(UID RFC822.SIZE)")
    if typ != "OK":
        raise MailProtocolError(f"UID FETCH RFC822.SIZE failed: {data!r}")
    sizes = {}
    for item in data:
        line = item[0] if isinstance(item, tuple) else item
        uid, size = _UID.search(line or b""), _SIZE.search(line or b"")
        if uid and size:
            sizes[int(uid.group(1))] = int(size.group(1))
    return sizes


def _fetch(conn: imaplib.IMAP4, uids: list[int]) -> list[MailMessage]:
    typ, data = conn.uid("FETCH", ",".join(map(str, uids)), "(UID INTERNALDATE BODY.PEEK[])")
    if typ != "OK":
        raise MailProtocolError(f"UID FETCH failed: {data!r}")
    messages = []
    for item in data:
        if not isinstance(item, tuple):
            continue  # the closing b")" of each response
        head, raw = item
        uid = _UID.search(head)
        if uid is None:
            continue  # an unsolicited FETCH (e.g. a flag change), not our data
        messages.append(
            MailMessage.from_raw(
                raw,
                key=uid.group(1).decode(),
                uid=int(uid.group(1)),
                received_at=internaldate(head) or datetime.now(UTC),
            )
        )
    return messages


def _logout(conn: imaplib.IMAP4) -> None:
    with contextlib.suppress(imaplib.IMAP4.error, OSError, MailError):
        conn.logout()
