"""What the receipt commands share: one async client for the command's work, and who a
person at the command line is (the `changed_by` of their corrections)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import getpass
import os
from collections.abc import Awaitable, Callable
from typing import TypeVar

from supajobs.cli.context import Context
from supajobs.client import AsyncJobsClient
from supajobs.errors import ValidationError
from supajobs_receipts.pipeline.restore_records import client_for

T = TypeVar("T")


def run_with_client(ctx: Context, work: Callable[[AsyncJobsClient], Awaitable[T]]) -> T:
    async def session() -> T:
        async with client_for(ctx) as client:
            return await work(client)

    return asyncio.run(session())


def actor(given: str | None) -> str:
    """--by, else $SUPAJOBS_ACTOR, else the login name: a correction always says who."""
    chosen = (given or os.environ.get("SUPAJOBS_ACTOR") or f"cli:{getpass.getuser()}").strip()
    if not chosen:
        raise ValidationError("--by must name who makes the change", field="by")
    return chosen


def parse_day(text: str) -> dt.date:
    """argparse type for YYYY-MM-DD; the error names the bad value."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None
