"""The receipt pipeline's job handlers: email_scan -> receipt_process -> file_organize;
duplicate_cleanup, report_generate, backup_create on their schedules (docs/workflows.md)."""

from supajobs_receipts.pipeline.context import Pipeline
from supajobs_receipts.pipeline.register import JOB_TYPES, register_pipeline
from supajobs_receipts.pipeline.settings import PipelineSettings

__all__ = ["JOB_TYPES", "Pipeline", "PipelineSettings", "register_pipeline"]
