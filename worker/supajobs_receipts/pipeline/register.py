"""Register the seven pipeline handlers on a worker's registry, bound to one client.

    register_pipeline(REGISTRY, client, PipelineSettings.from_env())

Each handler is `async fn(payload, ctx)` with a pydantic payload model; the blocking work
(mail, OCR, files) runs in threads so one slow OCR never stalls the worker's loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel

from supajobs.client import AsyncJobsClient
from supajobs.enums import Priority
from supajobs.errors import ConfigurationError
from supajobs.job_type_options import JobTypeOptions, RateLimit
from supajobs_receipts.credentials import GrantError
from supajobs_receipts.job_types import ReceiptJobType
from supajobs_receipts.pipeline.backup_create import BackupPayload, backup_create
from supajobs_receipts.pipeline.context import Pipeline
from supajobs_receipts.pipeline.duplicate_cleanup import DedupPayload, duplicate_cleanup
from supajobs_receipts.pipeline.email_scan import EmailScanPayload, email_scan
from supajobs_receipts.pipeline.file_organize import OrganizePayload, file_organize
from supajobs_receipts.pipeline.freee_sync import FreeeSyncPayload, freee_sync
from supajobs_receipts.pipeline.receipt_process import ReceiptPayload, receipt_process
from supajobs_receipts.pipeline.report_generate import ReportPayload, report_generate
from supajobs_receipts.pipeline.settings import PipelineSettings
from supajobs_receipts.storage import FileStore
from supajobs_worker.registry import JobContext, NonRetryableError, Registry

Step = Callable[[Pipeline, Any, JobContext], Awaitable[dict[str, Any]]]

# The options each type is declared with; the receipts SQL seeds the same rows (a test
# compares them), so schedules can name the types before any worker has started.
OPTIONS: dict[ReceiptJobType, JobTypeOptions] = {
    ReceiptJobType.EMAIL_SCAN: JobTypeOptions(
        default_priority=Priority.HIGH, timeout_seconds=300, backoff_base_seconds=30,
        backoff_cap_seconds=1800, concurrency_limit=1),
    # No queue-wide limit: each worker reads as many at once as it has cores (ocr_pool).
    ReceiptJobType.RECEIPT_PROCESS: JobTypeOptions(
        timeout_seconds=600, backoff_base_seconds=20, backoff_cap_seconds=1800, heavy=True),
    ReceiptJobType.FILE_ORGANIZE: JobTypeOptions(
        timeout_seconds=300, backoff_base_seconds=10, backoff_cap_seconds=900),
    ReceiptJobType.DUPLICATE_CLEANUP: JobTypeOptions(
        default_priority=Priority.LOW, max_attempts=3, timeout_seconds=900,
        backoff_base_seconds=60, backoff_cap_seconds=3600, concurrency_limit=1, heavy=True),
    ReceiptJobType.REPORT_GENERATE: JobTypeOptions(
        default_priority=Priority.HIGH, timeout_seconds=1200, backoff_base_seconds=120,
        backoff_cap_seconds=3600, concurrency_limit=1, heavy=True),
    ReceiptJobType.BACKUP_CREATE: JobTypeOptions(
        default_priority=Priority.CRITICAL, timeout_seconds=1800, backoff_base_seconds=300,
        backoff_cap_seconds=3600, concurrency_limit=1, heavy=True),
    # One sync at a time: the upload ledger relies on it. freee's call budget (per company
    # and app) is to be declared as this type's rate limit once flow control is merged.
    # freee's budget (3,000 calls a day per company and app on the smaller plans) is spent
    # through the queue: a sync makes at most 2 + 3 x FREEE_BATCH calls (freee_sync.py), so
    # 40 starts a day stay under 2,500 calls; throttling pauses the type (RetryLaterError).
    ReceiptJobType.FREEE_SYNC: JobTypeOptions(
        timeout_seconds=900, backoff_base_seconds=60, backoff_cap_seconds=3600,
        concurrency_limit=1, rate_limits=(RateLimit(starts=1, per_seconds=30),
                                          RateLimit(starts=40, per_seconds=86400))),
}

HANDLERS: dict[ReceiptJobType, tuple[Step, type[BaseModel]]] = {
    ReceiptJobType.EMAIL_SCAN: (email_scan, EmailScanPayload),
    ReceiptJobType.RECEIPT_PROCESS: (receipt_process, ReceiptPayload),
    ReceiptJobType.FILE_ORGANIZE: (file_organize, OrganizePayload),
    ReceiptJobType.DUPLICATE_CLEANUP: (duplicate_cleanup, DedupPayload),
    ReceiptJobType.REPORT_GENERATE: (report_generate, ReportPayload),
    ReceiptJobType.BACKUP_CREATE: (backup_create, BackupPayload),
    ReceiptJobType.FREEE_SYNC: (freee_sync, FreeeSyncPayload),
}
JOB_TYPES = tuple(HANDLERS)


def bind(step: Step, pipeline: Pipeline | Callable[[], Pipeline]
         ) -> Callable[[Any, JobContext], Awaitable[dict[str, Any]]]:
    """The handler the registry calls: the step with its pipeline (or a lazy factory)."""

    async def handle(payload: Any, ctx: JobContext) -> dict[str, Any]:
        pipe = pipeline if isinstance(pipeline, Pipeline) else pipeline()
        try:
            return await step(pipe, payload, ctx)
        # Revoked or never granted, or a setting missing: only a person can fix it.
        except (GrantError, ConfigurationError) as exc:
            raise NonRetryableError(str(exc)) from exc

    handle.__name__ = handle.__qualname__ = getattr(step, "__name__", "handle")
    return handle


def register_pipeline(registry: Registry, client: AsyncJobsClient | None,
                      settings: PipelineSettings | None = None, *,
                      store: FileStore | None = None,
                      pipeline: Callable[[], Pipeline] | None = None) -> None:
    """Add all seven handlers to `registry`. Pass a client, or a `pipeline` factory that
    builds one on first use (inside the worker's event loop)."""
    target: Pipeline | Callable[[], Pipeline]
    if pipeline is not None:
        target = pipeline
    elif client is not None:
        target = Pipeline.create(client, settings or PipelineSettings.from_env(), store)
    else:
        raise ValueError("register_pipeline needs a client or a pipeline factory")
    for job_type, (step, model) in HANDLERS.items():
        registry.handler(job_type, payload=model, options=OPTIONS[job_type])(bind(step, target))
