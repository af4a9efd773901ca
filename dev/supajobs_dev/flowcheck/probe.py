"""The handler module the fleet's worker processes import (`--import`): one job type,
`flow_probe`, whose options come from SUPAJOBS_FLOW_PROBE_OPTIONS (JobTypeOptions as JSON),
so a test or benchmark scenario declares its limits the way an application does."""

from __future__ import annotations

import asyncio
import os

from supajobs import JobTypeOptions
from supajobs_worker.registry import JobContext, handler

JOB_TYPE = "flow_probe"
OPTIONS_ENV = "SUPAJOBS_FLOW_PROBE_OPTIONS"
SLEEP_ENV = "SUPAJOBS_FLOW_PROBE_SLEEP"

_OPTIONS = JobTypeOptions.model_validate_json(os.environ.get(OPTIONS_ENV) or "{}")
_SLEEP = float(os.environ.get(SLEEP_ENV) or "0")


@handler(JOB_TYPE, options=_OPTIONS)
async def probe(payload: object, ctx: JobContext) -> None:
    if _SLEEP:
        await asyncio.sleep(_SLEEP)
