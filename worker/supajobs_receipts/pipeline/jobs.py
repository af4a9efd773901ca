"""Import this module to give a stock worker the pipeline's handlers:

    supajobs-worker listen --import supajobs_receipts.pipeline.jobs

The handlers go on the global REGISTRY. Their client and settings come from the
environment (SUPAJOBS_DATABASE_URL or SUPABASE_URL + key; SUPAJOBS_STORE_DIR, ...), built
on the first job, inside the worker's event loop.
"""

from __future__ import annotations

from supajobs.client import AsyncJobsClient
from supajobs_receipts.pipeline.context import Pipeline
from supajobs_receipts.pipeline.register import register_pipeline
from supajobs_receipts.pipeline.settings import PipelineSettings
from supajobs_worker.registry import REGISTRY

_shared: list[Pipeline] = []


def shared_pipeline() -> Pipeline:
    if not _shared:
        _shared.append(Pipeline.create(AsyncJobsClient.from_env(), PipelineSettings.from_env()))
    return _shared[0]


register_pipeline(REGISTRY, None, pipeline=shared_pipeline)
