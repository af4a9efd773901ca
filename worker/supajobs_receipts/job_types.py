"""The receipt app's job types, by the names its SQL seeds and its handlers register."""

from __future__ import annotations

from enum import StrEnum


class ReceiptJobType(StrEnum):
    EMAIL_SCAN = "email_scan"
    RECEIPT_PROCESS = "receipt_process"
    FILE_ORGANIZE = "file_organize"
    DUPLICATE_CLEANUP = "duplicate_cleanup"
    REPORT_GENERATE = "report_generate"
    BACKUP_CREATE = "backup_create"
    FREEE_SYNC = "freee_sync"
