"""What a worker needs of a claimed job: the rows `jobs.claim_work` returns.

A plain frozen dataclass, not a pydantic model: a worker builds one per job at thousands of
jobs per second, and the rows come from the database function itself (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from supajobs.errors import SupajobsError


class WorkItem(Protocol):
    """What running a job reads: a ClaimedJob, or a whole Job from `claim`."""

    @property
    def id(self) -> int: ...
    @property
    def job_type(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...
    @property
    def attempts(self) -> int: ...
    @property
    def timeout_seconds(self) -> int: ...


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    id: int
    job_type: str
    payload: dict[str, Any]
    attempts: int
    timeout_seconds: int

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ClaimedJob:
        try:
            payload = row["payload"]
            if not isinstance(payload, dict):
                raise TypeError(f"payload is {type(payload).__name__}, not an object")
            return cls(int(row["id"]), str(row["job_type"]), payload, int(row["attempts"]),
                       int(row["timeout_seconds"]))
        except (KeyError, TypeError, ValueError) as bad:
            raise SupajobsError(f"claim_work returned a malformed row: {bad!r}") from bad
