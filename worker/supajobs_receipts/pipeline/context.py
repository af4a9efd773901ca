"""What every pipeline handler needs: the SDK client, the receipts RPCs, the file store,
the reading processes."""

from __future__ import annotations

from dataclasses import dataclass, replace

from supajobs.client import AsyncJobsClient
from supajobs_receipts.credentials import TokenSource
from supajobs_receipts.pipeline.ocr_pool import OcrPool
from supajobs_receipts.pipeline.receipts_api import ReceiptsApi
from supajobs_receipts.pipeline.settings import PipelineSettings
from supajobs_receipts.pipeline.token_sources import stored_grant_source
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
        google = settings.google
        if google is not None and google.tokens is None:
            # Gmail and Drive renew through the grant `supajobs auth google` stored; the
            # factory runs when a handler builds its source, inside the worker's loop.
            settings = replace(settings, google=replace(
                google, tokens=lambda: stored_grant_source(client, "google")))
        return cls(client, settings, ReceiptsApi(client), store or settings.store(),
                   OcrPool(settings.ocr_workers))

    def token_source(self, provider: str) -> TokenSource:
        """The stored grant's tokens, for blocking clients; call inside the worker's loop."""
        return stored_grant_source(self.client, provider)
