"""What a handler may say about how far it is: `ctx.progress(value, message, total=...)`.

Checked here, where the handler can see the error, so that the database never refuses a
batch of reports because of one bad value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

MESSAGE_LIMIT = 500  # the database's limit (jobs.report_progress); longer ones are cut


@dataclass(frozen=True, slots=True)
class ProgressUpdate:
    fraction: float | None
    current: float | None
    total: float | None
    message: str | None

    def as_json(self, job_id: int, attempt: int) -> dict[str, Any]:
        return {"job_id": job_id, "attempt": attempt, "fraction": self.fraction,
                "current": self.current, "total": self.total, "message": self.message}


class ProgressSink(Protocol):
    def report(self, job_id: int, attempt: int, update: ProgressUpdate) -> None: ...


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"progress {name} must be a number, got {type(value).__name__}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"progress {name} must be a finite number >= 0, got {value!r}")
    return float(value)


def progress_update(value: float, message: str | None = None, *,
                    total: float | None = None) -> ProgressUpdate:
    """A float without total is a fraction (0..1); an int without total is a count of
    unknown total; with total, value counts towards it (fraction = value / total)."""
    if message is not None and not isinstance(message, str):
        raise TypeError(f"progress message must be a string, got {type(message).__name__}")
    text = None if message is None else message.strip()[:MESSAGE_LIMIT] or None
    amount = _number(value, "value")
    if total is not None:
        whole = _number(total, "total")
        if whole == 0:
            raise ValueError("progress total must be greater than 0")
        return ProgressUpdate(min(1.0, amount / whole), amount, whole, text)
    if isinstance(value, int):
        return ProgressUpdate(None, amount, None, text)
    if amount > 1:
        raise ValueError(f"a progress fraction must be from 0 to 1, got {value!r} "
                         "(pass an int for a count, or total=...)")
    return ProgressUpdate(amount, None, None, text)
