"""The database's history against the history a backup snapshot took away: a chain that was
rewritten from end to end is consistent with itself, but not with the copy the backup holds
(which the database cannot reach)."""

from __future__ import annotations

from collections.abc import Sequence

from supajobs_receipts.evidence.history import HistoryRow


def compare_with_backup(history: Sequence[HistoryRow], backed_up: Sequence[HistoryRow],
                        snapshot: str) -> list[str]:
    """A problem for each version the snapshot holds that the database lacks or holds
    with another hash."""
    by_seq = {row.seq: row for row in history}
    problems = []
    for old in backed_up:
        now = by_seq.get(old.seq)
        if now is None:
            problems.append(f"history #{old.seq} (receipt {old.receipt_id}): in backup "
                            f"{snapshot} but no longer in the database")
        elif now.hash != old.hash:
            problems.append(f"history #{old.seq} (receipt {old.receipt_id}): differs from "
                            f"backup {snapshot} (the history was rewritten after that backup)")
    return problems
