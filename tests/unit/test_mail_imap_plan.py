"""Planning an IMAP scan: bounded fetch batches, and a checkpoint that never skips a mail."""

from __future__ import annotations

from datetime import UTC, datetime

from supajobs_receipts.mail import MailMessage
from supajobs_receipts.mail.imap_batches import plan_batches, unbroken_run

MB = 1024 * 1024


def test_batches_respect_count_and_bytes() -> None:
    assert plan_batches([1, 2, 3, 4, 5], {}, 2, MB) == [[1, 2], [3, 4], [5]]
    sizes = {1: 10 * MB, 2: 10 * MB, 3: 10 * MB, 4: 50 * MB, 5: 1}
    assert plan_batches([1, 2, 3, 4, 5], sizes, 20, 25 * MB) == [[1, 2], [3], [4], [5]]
    assert plan_batches([], {}, 20, MB) == []


def _message(uid: int) -> MailMessage:
    raw = f"Subject: {uid}\r\nMessage-ID: <{uid}@x>\r\n\r\nbody\r\n".encode()
    return MailMessage.from_raw(raw, key=str(uid), uid=uid, received_at=datetime.now(UTC))


def test_checkpoint_stops_at_the_first_mail_not_returned() -> None:
    fetched = {uid: _message(uid) for uid in (3, 4, 6, 7)}
    assert [m.uid for m in unbroken_run([3, 4, 5, 6, 7], fetched)] == [3, 4]
    assert [m.uid for m in unbroken_run([3, 4, 6, 7], fetched)] == [3, 4, 6, 7]
    assert unbroken_run([2, 3], fetched) == []
