"""What every pipeline handler needs: the SDK client, the receipts RPCs, the file store,
the reading processes."""

from __future__ import annotations

from dataclasses import dataclass

from supajobs.client import AsyncJobsClient
from supajobs_receipts.pipeline.ocr_pool import OcrPool
from supajobs_receipts.pipeline.receipts_api import ReceiptsApi
from supajobs_receipts.pipeline.settings import PipelineSettings
from supajobs_receipts.storage import FileStore


@dataclass(frozen=True)
class Pipeline:
    client: AsyncJobsClient
    settings: PipelineSettings
    api: ReceiptsApi
    store: FileStore
    ocr: OcrPool

    @classmethod
    def create(cls, client: AsyncJobsClient, settings: PipelineSettings,
               store: FileStore | None = None) -> Pipeline:
        return cls(client, settings, ReceiptsApi(client), store or settings.store(),
                   OcrPool(settings.ocr_workers))
