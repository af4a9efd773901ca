"""Pure planning for an IMAP scan: how to batch fetches, how far the checkpoint may move."""

from __future__ import annotations

from .model import MailMessage


def plan_batches(
    uids: list[int], sizes: dict[int, int], max_count: int, max_bytes: int
) -> list[list[int]]:
    """UIDs in order, grouped so a batch holds at most `max_count` mails and `max_bytes`
    bytes (a mail bigger than that is a batch of its own), keeping memory bounded."""
    batches: list[list[int]] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if not batches or len(batches[-1]) >= max_count or total + size > max_bytes:
            batches.append([])
            total = 0
        batches[-1].append(uid)
        total += size
    return batches


def unbroken_run(uids: list[int], fetched: dict[int, MailMessage]) -> list[MailMessage]:
    """The fetched messages up to the first listed UID the server did not return.

    A UID listed but not returned (expunged meanwhile, or a server hiccup) stops the
    checkpoint there, so the next run looks again instead of silently passing a mail;
    the messages after the gap come again next run."""
    run: list[MailMessage] = []
    for uid in uids:
        if uid not in fetched:
            break
        run.append(fetched[uid])
    return run
