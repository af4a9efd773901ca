"""supajobs: Supabase-native background jobs (pg_cron schedules, a durable Postgres queue)."""

from supajobs.backoff import backoff_seconds
from supajobs.client import AsyncJobsClient
from supajobs.enums import JobStatus, Overlap, Priority
from supajobs.errors import (
    ConfigurationError,
    ConflictError,
    JobWaitTimeoutError,
    MissingFunctionError,
    NotFoundError,
    PermissionDeniedError,
    SupajobsError,
    TransientError,
    ValidationError,
)
from supajobs.flow_models import RateLimitStat
from supajobs.job_type_options import JobTypeChange, JobTypeOptions, RateLimit
from supajobs.models import (
    Breaker,
    BreakerTrip,
    DeadLetter,
    Execution,
    Job,
    JobTypeInfo,
    QueueStat,
    SweepReport,
)
from supajobs.progress_models import JobProgress
from supajobs.retry import RetryPolicy
from supajobs.schedule_models import Schedule
from supajobs.sync_client import JobsClient

__all__ = [
    "AsyncJobsClient", "Breaker", "BreakerTrip", "ConfigurationError", "ConflictError",
    "DeadLetter", "Execution", "Job", "JobProgress", "JobStatus", "JobTypeChange", "JobTypeInfo",
    "JobTypeOptions", "JobWaitTimeoutError", "JobsClient", "MissingFunctionError", "NotFoundError",
    "Overlap", "PermissionDeniedError", "Priority", "QueueStat", "RateLimit", "RateLimitStat",
    "RetryPolicy", "Schedule",
    "SupajobsError", "SweepReport", "TransientError", "ValidationError", "backoff_seconds",
]
