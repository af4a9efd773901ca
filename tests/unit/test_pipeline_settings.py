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


@pytest.mark.parametrize("value", ["8", "many"])
def test_the_old_keep_count_is_refused_as_replaced(value: str) -> None:
    # A user upgrading must not believe rotation still happens.
    with pytest.raises(ConfigurationError, match=r"SUPAJOBS_BACKUP_KEEP is no longer used: "
                       r"backups are not rotated any more; they are kept by age "
                       r"\(SUPAJOBS_BACKUP_RETENTION_YEARS"):
        PipelineSettings.from_env({"SUPAJOBS_BACKUP_KEEP": value})


def test_retention_is_seven_years_or_more(tmp_path: Path) -> None:
    assert PipelineSettings.from_env({}).backup_retention_years == 7
    env = {"SUPAJOBS_BACKUP_RETENTION_YEARS": "10"}
    assert PipelineSettings.from_env(env).backup_retention_years == 10
    for short in ("6", "0"):
        with pytest.raises(ConfigurationError, match=r"SUPAJOBS_BACKUP_RETENTION_YEARS must be "
                           rf"at least 7, got {short}: receipts are kept 7 years"):
            PipelineSettings.from_env({"SUPAJOBS_BACKUP_RETENTION_YEARS": short})
    with pytest.raises(ConfigurationError, match=r"must be a whole number of years, got '7\.5'"):
        PipelineSettings.from_env({"SUPAJOBS_BACKUP_RETENTION_YEARS": "7.5"})
    with pytest.raises(ConfigurationError, match="at least 7, got 3"):
        PipelineSettings(backup_retention_years=3)


def test_backup_targets_are_the_directory_and_optionally_a_bucket(tmp_path: Path) -> None:
    (local,) = PipelineSettings.from_env({"SUPAJOBS_BACKUP_DIR": str(tmp_path)}).backup_targets()
    assert local.name == f"local:{tmp_path.resolve()}" and isinstance(local.store, LocalFileStore)
    assert local.uri("snapshots/X.json") == f"local:{tmp_path.resolve()}/snapshots/X.json"
    env = {"SUPAJOBS_BACKUP_DIR": str(tmp_path), "SUPAJOBS_BACKUP_BUCKET": "receipt-backups",
           "SUPABASE_URL": "https://x.supabase.co", "SUPABASE_SERVICE_ROLE_KEY": "service-key"}
    _, bucket = PipelineSettings.from_env(env).backup_targets()
    assert bucket.name == "supabase:receipt-backups"
    assert isinstance(bucket.store, SupabaseFileStore)
    with pytest.raises(ConfigurationError, match="SUPAJOBS_BACKUP_BUCKET needs SUPABASE_URL"):
        PipelineSettings.from_env({"SUPAJOBS_BACKUP_BUCKET": "receipt-backups"})
