"""Pipeline settings: the file store is a local directory or a Supabase Storage bucket."""

from __future__ import annotations

from pathlib import Path

import pytest

from supajobs.errors import ConfigurationError
from supajobs_receipts.pipeline.settings import PipelineSettings
from supajobs_receipts.storage import LocalFileStore
from supajobs_receipts.storage.supabase_storage import SupabaseFileStore


def test_local_store_by_default(tmp_path: Path) -> None:
    settings = PipelineSettings.from_env({"SUPAJOBS_STORE_DIR": str(tmp_path)})
    assert isinstance(settings.store(), LocalFileStore)


def test_supabase_storage_bucket() -> None:
    settings = PipelineSettings.from_env({
        "SUPAJOBS_STORAGE_BUCKET": "receipts", "SUPABASE_URL": "https://x.supabase.co",
        "SUPABASE_SERVICE_ROLE_KEY": "service-key"})
    assert isinstance(settings.store(), SupabaseFileStore)


def test_bucket_without_credentials_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="SUPAJOBS_STORAGE_BUCKET needs SUPABASE_URL"):
        PipelineSettings.from_env({"SUPAJOBS_STORAGE_BUCKET": "receipts"})


def test_bad_keep_count_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="SUPAJOBS_BACKUP_KEEP must be a number"):
        PipelineSettings.from_env({"SUPAJOBS_BACKUP_KEEP": "many"})
