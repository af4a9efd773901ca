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
from supajobs_receipts.job_types import ReceiptJobType
from supajobs_receipts.pipeline.backup_create import BackupPayload, backup_create
from supajobs_receipts.pipeline.context import Pipeline
from supajobs_receipts.pipeline.duplicate_cleanup import DedupPayload, duplicate_cleanup
from supajobs_receipts.pipeline.email_scan import EmailScanPayload, email_scan
from supajobs_receipts.pipeline.file_organize import OrganizePayload, file_organize
from supajobs_receipts.pipeline.receipt_process import ReceiptPayload, receipt_process
from supajobs_receipts.pipeline.report_generate import ReportPayload, report_generate
from supajobs_receipts.pipeline.settings import PipelineSettings
from supajobs_receipts.storage import FileStore
from supajobs_worker.registry import JobContext, Registry

Step = Callable[[Pipeline, Any, JobContext], Awaitable[dict[str, Any]]]

HANDLERS: dict[ReceiptJobType, tuple[Step, type[BaseModel]]] = {
    ReceiptJobType.EMAIL_SCAN: (email_scan, EmailScanPayload),
    ReceiptJobType.RECEIPT_PROCESS: (receipt_process, ReceiptPayload),
    ReceiptJobType.FILE_ORGANIZE: (file_organize, OrganizePayload),
    ReceiptJobType.DUPLICATE_CLEANUP: (duplicate_cleanup, DedupPayload),
    ReceiptJobType.REPORT_GENERATE: (report_generate, ReportPayload),
    ReceiptJobType.BACKUP_CREATE: (backup_create, BackupPayload),
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
