"""Which receipts belong to a period: by 取引年月日, or, for a receipt with no date read,
by the day it arrived (Japan time), so an unreadable receipt is never left out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID
from zoneinfo import ZoneInfo

from supajobs_receipts.evidence.history import HistoryRow

JST = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"the period starts {self.start} after it ends {self.end}")

    def holds(self, latest: HistoryRow) -> bool:
        day = latest.receipt_date or latest.received_at.astimezone(JST).date()
        return self.start <= day <= self.end


def by_receipt(history: Iterable[HistoryRow]) -> dict[UUID, list[HistoryRow]]:
    """Each receipt's versions in order (the chain is in seq order, so they are too)."""
    grouped: dict[UUID, list[HistoryRow]] = {}
    for row in history:
        grouped.setdefault(row.receipt_id, []).append(row)
    return grouped


def in_period(history: Iterable[HistoryRow], period: Period) -> list[list[HistoryRow]]:
    """The versions of every receipt whose latest version falls in the period, by date."""
    chosen = [rows for rows in by_receipt(history).values() if period.holds(rows[-1])]
    return sorted(chosen, key=lambda rows: (rows[-1].receipt_date or dt.date.max,
                                            rows[-1].received_at, str(rows[-1].receipt_id)))
