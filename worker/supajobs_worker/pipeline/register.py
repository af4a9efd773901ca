"""Register the six pipeline handlers on a worker's registry, bound to one client.

    register_pipeline(REGISTRY, client, PipelineSettings.from_env())

Each handler is `async fn(payload, ctx)` with a pydantic payload model; the blocking work
(mail, OCR, files) runs in threads so one slow OCR never stalls the worker's loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel

from supajobs.client import AsyncJobsClient
from supajobs_worker.pipeline.backup_create import BackupPayload, backup_create
from supajobs_worker.pipeline.context import Pipeline
from supajobs_worker.pipeline.duplicate_cleanup import DedupPayload, duplicate_cleanup
from supajobs_worker.pipeline.email_scan import EmailScanPayload, email_scan
from supajobs_worker.pipeline.file_organize import OrganizePayload, file_organize
from supajobs_worker.pipeline.receipt_process import ReceiptPayload, receipt_process
from supajobs_worker.pipeline.report_generate import ReportPayload, report_generate
from supajobs_worker.pipeline.settings import PipelineSettings
from supajobs_worker.registry import JobContext, Registry
from supajobs_worker.storage import FileStore

Step = Callable[[Pipeline, Any, JobContext], Awaitable[dict[str, Any]]]

HANDLERS: dict[str, tuple[Step, type[BaseModel]]] = {
    "email_scan": (email_scan, EmailScanPayload),
    "receipt_process": (receipt_process, ReceiptPayload),
    "file_organize": (file_organize, OrganizePayload),
    "duplicate_cleanup": (duplicate_cleanup, DedupPayload),
    "report_generate": (report_generate, ReportPayload),
    "backup_create": (backup_create, BackupPayload),
}
JOB_TYPES = tuple(HANDLERS)


def bind(step: Step, pipeline: Pipeline | Callable[[], Pipeline]
         ) -> Callable[[Any, JobContext], Awaitable[dict[str, Any]]]:
    """The handler the registry calls: the step with its pipeline (or a lazy factory)."""

    async def handle(payload: Any, ctx: JobContext) -> dict[str, Any]:
        pipe = pipeline if isinstance(pipeline, Pipeline) else pipeline()
        return await step(pipe, payload, ctx)

    handle.__name__ = handle.__qualname__ = getattr(step, "__name__", "handle")
    return handle


def register_pipeline(registry: Registry, client: AsyncJobsClient | None,
                      settings: PipelineSettings | None = None, *,
                      store: FileStore | None = None,
                      pipeline: Callable[[], Pipeline] | None = None) -> None:
    """Add all six handlers to `registry`. Pass a client, or a `pipeline` factory that
    builds one on first use (inside the worker's event loop)."""
    target: Pipeline | Callable[[], Pipeline]
    if pipeline is not None:
        target = pipeline
    elif client is not None:
        target = Pipeline.create(client, settings or PipelineSettings.from_env(), store)
    else:
        raise ValueError("register_pipeline needs a client or a pipeline factory")
    for job_type, (step, model) in HANDLERS.items():
        registry.handler(job_type, payload=model)(bind(step, target))
