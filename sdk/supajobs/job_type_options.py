"""A job type's options as code declares them, and how they differ from what is stored.

`@handler(..., options=JobTypeOptions(...))` declares them; the worker's start-up makes the
database agree (JobTypes.ensure). Defaults equal the database's defaults for a new type.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from supajobs.enums import Priority
from supajobs.models import JobTypeInfo


class JobTypeOptions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    default_priority: Priority = Priority.MEDIUM
    max_attempts: int = Field(default=5, ge=1, le=5)  # the table's checks, client-side
    timeout_seconds: int = Field(default=300, ge=1, le=1800)
    backoff_base_seconds: float = Field(default=10, gt=0)
    backoff_cap_seconds: float = Field(default=3600, gt=0)
    concurrency_limit: int | None = Field(default=None, ge=1)
    heavy: bool = False

    @model_validator(mode="after")
    def _cap_not_below_base(self) -> JobTypeOptions:
        if self.backoff_cap_seconds < self.backoff_base_seconds:
            raise ValueError("backoff_cap_seconds must be >= backoff_base_seconds")
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
    for option, wanted in declared.model_dump().items():
        have = getattr(stored, option)
        if have != wanted:
            found[option] = (str(have) if isinstance(have, Priority) else have,
                             str(wanted) if isinstance(wanted, Priority) else wanted)
    return found
