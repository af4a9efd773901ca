"""Errors only a person can fix end a pipeline job at once instead of retrying for hours."""

from __future__ import annotations

from typing import Any

import pytest

from supajobs.errors import ConfigurationError
from supajobs_receipts.credentials import GrantMissingError
from supajobs_receipts.pipeline.register import bind
from supajobs_worker.registry import JobContext, NonRetryableError

CTX = JobContext(job_id=1, job_type="email_scan", attempt=1, worker_id="w")


def failing(error: Exception) -> Any:
    async def step(pipe: Any, payload: Any, ctx: JobContext) -> dict[str, Any]:
        raise error
    return step


@pytest.mark.parametrize("error", [
    GrantMissingError("google"),
    ConfigurationError("SUPAJOBS_GOOGLE_CLIENT_ID is not set"),
])
async def test_a_person_must_act_so_the_job_is_not_retried(error: Exception) -> None:
    handle = bind(failing(error), lambda: object())  # type: ignore[arg-type,return-value]
    with pytest.raises(NonRetryableError, match=str(error).split(":")[0]):
        await handle({}, CTX)


async def test_other_errors_stay_retryable() -> None:
    handle = bind(failing(ConnectionError("reset")), lambda: object())  # type: ignore[arg-type,return-value]
    with pytest.raises(ConnectionError):
        await handle({}, CTX)
