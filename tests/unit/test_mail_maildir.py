"""The local Maildir source: incremental, read-only, tolerant of files moving."""

from __future__ import annotations

import mailbox
import os
from pathlib import Path

import pytest

from supajobs_receipts.mail import (
    MailboxMissingError,
    MaildirCheckpoint,
    MaildirSource,
    extract_documents,
)
from support.mail_samples import mail, pdf, raw


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "Maildir"


def _deliver(folder: Path, subject: str, mtime: float) -> str:
    box = mailbox.Maildir(folder, create=True)
    msg = mail(
        subject,
        message_id=f"<{subject}@x>",
        attachments=(("r.pdf", "application/pdf", pdf(subject)),),
    )
    key = box.add(raw(msg))
    os.utime(folder / "new" / key, (mtime, mtime))
    return key


def test_new_mail_found_once_oldest_first(folder: Path) -> None:
    _deliver(folder, "second", 2_000)
    _deliver(folder, "first", 1_000)
    source = MaildirSource(folder)
    messages, checkpoint = source.fetch_new(None)
    assert [m.subject for m in messages] == ["first", "second"]
    docs = [extract_documents(m.email(), raw=m.raw).documents[0] for m in messages]
    assert [d.message_id for d in docs] == ["<first@x>", "<second@x>"]
    again, checkpoint2 = source.fetch_new(checkpoint)
    assert again == []
    assert checkpoint2 == checkpoint


def test_checkpoint_survives_a_round_trip_and_moving_to_cur(folder: Path) -> None:
    key = _deliver(folder, "one", 1_000)
    source = MaildirSource(folder)
    _, checkpoint = source.fetch_new(None)
    stored = MaildirCheckpoint.model_validate_json(checkpoint.model_dump_json())
    # A mail client marks it read: new/<key> becomes cur/<key>:2,S
    os.rename(folder / "new" / key, folder / "cur" / f"{key}:2,S")
    _deliver(folder, "two", 3_000)
    messages, checkpoint = source.fetch_new(stored)
    assert [m.subject for m in messages] == ["two"]
    assert len(checkpoint.seen) == 2


def test_removed_messages_leave_the_checkpoint(folder: Path) -> None:
    key = _deliver(folder, "gone", 1_000)
    source = MaildirSource(folder)
    _, checkpoint = source.fetch_new(None)
    (folder / "new" / key).unlink()
    _, checkpoint = source.fetch_new(checkpoint)
    assert checkpoint.seen == frozenset()


def test_max_messages_resumes_next_run(folder: Path) -> None:
    for n in range(5):
        _deliver(folder, f"m{n}", 1_000 + n)
    source = MaildirSource(folder, max_messages=2)
    subjects: list[str] = []
    checkpoint = None
    for _ in range(4):
        messages, checkpoint = source.fetch_new(checkpoint)
        subjects += [m.subject for m in messages]
    assert subjects == ["m0", "m1", "m2", "m3", "m4"]


def test_folder_is_not_modified(folder: Path) -> None:
    _deliver(folder, "x", 1_000)
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    MaildirSource(folder).fetch_new(None)
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before


def test_missing_maildir_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MailboxMissingError, match=r"not a Maildir \(needs new/ and cur/\)"):
        MaildirSource(tmp_path / "nope").fetch_new(None)
