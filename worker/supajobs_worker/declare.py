"""At start-up the worker writes the job types its handlers declare (JobTypes.ensure).

Two workers that declare different options for one type: the last to start wins, and it
logs the options it changed, so a rolling deploy shows what it altered.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from supajobs.client import AsyncJobsClient
from supajobs.errors import SupajobsError, TransientError
from supajobs.job_type_options import JobTypeChange, JobTypeOptions

log = logging.getLogger("supajobs_worker.declare")
RETRY_CAP_SECONDS = 30.0


def log_changes(changes: list[JobTypeChange]) -> None:
    for change in changes:
        if change.action == "created":
            log.info("job type %s created from its handler's declaration", change.name)
        elif change.action == "updated":
            diff = ", ".join(f"{k} {old!r} -> {new!r}"
                             for k, (old, new) in sorted(change.differences.items()))
            log.warning("job type %s: stored options differed from this worker's declaration "
                        "and were changed (the last worker to start wins): %s", change.name, diff)


async def declare_job_types(client: AsyncJobsClient,
                            declared: Mapping[str, JobTypeOptions | None]) -> list[JobTypeChange]:
    changes = await client.job_types.ensure(declared)
    log_changes(changes)
    return changes


async def keep_declaring(client: AsyncJobsClient,
                         declared: Mapping[str, JobTypeOptions | None]) -> None:
    """Retry a declaration the database could not take yet (it was unreachable), with backoff;
    give up, loudly, on an error that retrying cannot fix (permission, invalid options)."""
    delay = 1.0
    while True:
        try:
            await declare_job_types(client, declared)
            return
        except TransientError as exc:
            log.warning("could not declare job types yet (%s); retrying in %.0f s", exc, delay)
        except SupajobsError as exc:
            log.error("job types %s could not be declared: %s", ", ".join(declared), exc)
            return
        await asyncio.sleep(delay)
        delay = min(delay * 2, RETRY_CAP_SECONDS)
