"""Names shared with the database: job types, priorities, statuses, overlap policies."""

from __future__ import annotations

from enum import StrEnum


class JobType(StrEnum):
    """The job types of the receipt pipeline (custom types are plain strings)."""

    EMAIL_SCAN = "email_scan"
    RECEIPT_PROCESS = "receipt_process"
    FILE_ORGANIZE = "file_organize"
    DUPLICATE_CLEANUP = "duplicate_cleanup"
    REPORT_GENERATE = "report_generate"
    BACKUP_CREATE = "backup_create"


class Priority(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class JobStatus(StrEnum):
    WAITING = "waiting"
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    DEAD = "dead"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.SUCCEEDED, JobStatus.DEAD, JobStatus.CANCELLED)


class Overlap(StrEnum):
    SKIP = "skip"
    QUEUE = "queue"
    ALLOW = "allow"
