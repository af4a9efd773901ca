"""Reading the whole evidence once (history, current rows) for verify and export."""

from __future__ import annotations

from pathlib import Path

from supajobs.client import AsyncJobsClient
from supajobs.errors import SupajobsError
from supajobs_receipts.backup import BackupError
from supajobs_receipts.backup.repository import load_snapshot, snapshot_files
from supajobs_receipts.evidence import HistoryRow
from supajobs_receipts.evidence.verify import CurrentReceipt
from supajobs_receipts.pipeline.evidence_api import EvidenceApi
from supajobs_receipts.pipeline.receipt_rows import ReceiptRow
from supajobs_receipts.pipeline.receipts_api import ReceiptsApi
from supajobs_receipts.pipeline.settings import PipelineSettings
from supajobs_receipts.storage import FileStore, LocalFileStore


def current_of(row: ReceiptRow) -> CurrentReceipt:
    return CurrentReceipt(
        id=row.id, sha256=row.sha256, version=row.version, file_deleted=row.file_deleted,
        status=row.status, receipt_date=row.receipt_date, total=row.total, tax=row.tax,
        tax_rate=row.tax_rate, vendor=row.vendor, invoice_number=row.invoice_number,
        category=row.category, needs_review=row.needs_review, stored_path=row.stored_path,
        duplicate_of=row.duplicate_of)


async def read_evidence(client: AsyncJobsClient) -> tuple[list[HistoryRow], list[CurrentReceipt]]:
    """The history first, then the current rows: a version written in between shows as
    "history ends at" one less than the current row, never as a silent gap."""
    history = [row async for row in EvidenceApi(client).iter_history()]
    rows = await ReceiptsApi(client).list_receipts(include_duplicates=True, include_deleted=True)
    return history, [current_of(r) for r in rows]


def newest_backup_history(directory: Path | None) -> tuple[str, list[HistoryRow]] | None:
    """The history in the newest snapshot of the backup repository (--backups DIR, else
    SUPAJOBS_BACKUP_DIR); None when there is no snapshot yet."""
    root = directory or PipelineSettings.from_env().backup_dir
    if not root.is_dir():
        return None
    repo = LocalFileStore(root)
    files = snapshot_files(repo)
    if not files:
        return None
    try:
        loaded = load_snapshot(repo, files[-1].key)
    except BackupError as exc:
        raise SupajobsError(f"{exc}; check the repository (supajobs receipts backups verify) "
                            "or verify without it (--no-backups)") from None
    return loaded.key, [HistoryRow.model_validate(h) for h in loaded.snapshot.history]


def store_for(directory: Path | None) -> FileStore:
    """--store DIR, else the pipeline's own store (SUPAJOBS_STORE_DIR or the bucket)."""
    return LocalFileStore(directory) if directory else PipelineSettings.from_env().store()
