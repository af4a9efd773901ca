"""A job type's options as code declares them, and how they differ from what is stored.

`@handler(..., options=JobTypeOptions(...))` declares them; the worker's start-up makes the
database agree (JobTypes.ensure). Defaults equal the database's defaults for a new type.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, model_validator

from supajobs.enums import Priority
from supajobs.models import JobTypeInfo

MAX_WINDOWS = 4  # jobs._flow_problem: each window costs a count of its starts per claim
MAX_WINDOW_STARTS = 10000
MAX_WINDOW_SECONDS = 31 * 86400


class RateLimit(BaseModel):
    """At most `starts` job starts within any `per_seconds` (a sliding window)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    starts: int = Field(ge=1, le=MAX_WINDOW_STARTS, strict=True)
    per_seconds: float = Field(ge=0.001, le=MAX_WINDOW_SECONDS)


class JobTypeOptions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    default_priority: Priority = Priority.MEDIUM
    max_attempts: int = Field(default=5, ge=1, le=5)  # the table's checks, client-side
    timeout_seconds: int = Field(default=300, ge=1, le=1800)
    backoff_base_seconds: float = Field(default=10, gt=0)
    backoff_cap_seconds: float = Field(default=3600, gt=0)
    concurrency_limit: int | None = Field(default=None, ge=1)
    heavy: bool = False
    # Flow control (docs/flow-control.md): start windows per rate key, the payload field
    # (a dotted path) that gives a job its key, and running jobs per key.
    rate_limits: tuple[RateLimit, ...] | None = None
    rate_key: StrictStr | None = Field(default=None, min_length=1, max_length=200,
                                       pattern=r"^[^.]+([.][^.]+)*$")
    key_concurrency: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _cap_not_below_base(self) -> JobTypeOptions:
        if self.backoff_cap_seconds < self.backoff_base_seconds:
            raise ValueError("backoff_cap_seconds must be >= backoff_base_seconds")
        return self

    @model_validator(mode="after")
    def _flow_is_coherent(self) -> JobTypeOptions:
        windows = self.rate_limits
        if windows is not None and not 1 <= len(windows) <= MAX_WINDOWS:
            raise ValueError(f"rate_limits holds 1 to {MAX_WINDOWS} windows (None for none), "
                             f"got {len(windows)}")
        if windows is not None and len({w.per_seconds for w in windows}) < len(windows):
            raise ValueError("rate_limits names the same per_seconds twice; keep the tighter "
                             "window")
        if self.rate_key is not None and windows is None and self.key_concurrency is None:
            raise ValueError("rate_key needs rate_limits or key_concurrency (a key alone "
                             "limits nothing)")
        return self

    def upsert_args(self, name: str) -> dict[str, Any]:
        """The upsert_job_type arguments that store exactly these options."""
        return {"name": name, **self.model_dump(mode="json")}


class JobTypeChange(BaseModel):
    """What ensure() did to one type: created, updated (with the differences) or unchanged."""

    model_config = ConfigDict(frozen=True)

    name: str
    action: str  # "created" | "updated" | "unchanged"
    differences: dict[str, tuple[Any, Any]] = {}  # option -> (stored, declared)


def differences(stored: JobTypeInfo, declared: JobTypeOptions) -> dict[str, tuple[Any, Any]]:
    """Options whose stored value is not the declared one: {option: (stored, declared)}."""
    found: dict[str, tuple[Any, Any]] = {}
    for option, wanted in declared.model_dump(mode="json").items():
        have = getattr(stored, option)
        if option == "default_priority":
            wanted = Priority(wanted)
        if have != wanted:
            found[option] = (str(have) if isinstance(have, Priority) else have,
                             str(wanted) if isinstance(wanted, Priority) else wanted)
    return found
