"""Handlers for isolated (subprocess) tests: module-level and light to import, because each
handler process imports this module by name."""

from __future__ import annotations

import os
import time
from pathlib import Path

from pydantic import BaseModel, Field

from supajobs_worker.registry import JobContext, NonRetryableError, RetryLaterError


class Amount(BaseModel):
    yen: int = Field(ge=0)
    pid_file: str | None = None


def spin(payload: Amount, ctx: JobContext) -> None:
    """A stuck handler: only killing its process stops it."""
    if payload.pid_file:
        Path(payload.pid_file).write_text(str(os.getpid()))
    while True:
        time.sleep(0.01)


def refuse(payload: Amount, ctx: JobContext) -> None:
    raise NonRetryableError("this receipt can never be read")


def triple(payload: Amount, ctx: JobContext) -> int:
    return payload.yen * 3


def throttled(payload: Amount, ctx: JobContext) -> None:
    raise RetryLaterError(12.5, "freee answered 403", key="company-9")


def pages(payload: Amount, ctx: JobContext) -> int:
    """Reports its progress from the child process, page by page."""
    for page in range(1, payload.yen + 1):
        ctx.progress(page, f"page {page}", total=payload.yen)
    return payload.yen
