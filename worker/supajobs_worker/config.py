"""WorkerConfig: where the database is, how webhooks are verified, how much to run at once.

Read from the environment (SUPAJOBS_*), overridable on the command line (main.py).
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from supajobs.config import direct_transport, driver_setting, prepare_setting
from supajobs.errors import ConfigurationError
from supajobs.transport.base import Transport
from supajobs.transport.postgrest import PostgrestTransport


def default_worker_id() -> str:
    return f"{socket.gethostname()[:80]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class WorkerConfig:
    database_url: str | None = None
    listen_url: str | None = None  # listen mode's LISTEN session (default: database_url)
    supabase_url: str | None = None
    supabase_key: str | None = None
    webhook_secrets: tuple[str, ...] = ()
    worker_id: str = field(default_factory=default_worker_id)
    concurrency: int = 8
    lease_seconds: int = 6  # beats every 2 s; a dead worker's jobs are back in <= ~8 s
    memory_threshold_percent: float = 95.0
    job_types: tuple[str, ...] | None = None  # None: every type with a handler
    max_body_bytes: int = 64 * 1024
    shutdown_grace_seconds: float = 10.0
    flush_interval_seconds: float = 0.005
    flush_max_items: int = 100
    report_interval_seconds: float = 15.0
    idle_poll_seconds: float = 5.0  # listen mode: poll this often when no NOTIFY arrives
    db_role: str | None = None
    db_driver: str = "asyncpg"  # or psycopg (supajobs.config.direct_transport); LISTEN: psycopg
    db_prepare: bool = True     # off behind a transaction-mode pooler (SUPAJOBS_DB_PREPARE)
    pool_size: int = 4
    # Resource breakers (breakers/): stop claiming while CPU stays high or the pool is exhausted
    cpu_threshold_percent: float = 90.0
    cpu_window_seconds: float = 300.0
    cpu_resume_percent: float = 80.0
    pool_wait_seconds: float = 2.0
    pool_calm_seconds: float = 5.0
    breaker_check_seconds: float = 1.0

    def __post_init__(self) -> None:
        if not self.database_url and not (self.supabase_url and self.supabase_key):
            raise ConfigurationError("set SUPAJOBS_DATABASE_URL, or SUPABASE_URL and "
                                     "SUPABASE_SERVICE_ROLE_KEY")
        if not 1 <= self.concurrency <= 1000:
            raise ConfigurationError(f"concurrency must be from 1 to 1000, got {self.concurrency}")
        if not 3 <= self.lease_seconds <= 1800:
            raise ConfigurationError(
                f"lease_seconds must be from 3 to 1800, got {self.lease_seconds}")
        if not 0 < self.memory_threshold_percent <= 100:
            raise ConfigurationError("memory_threshold_percent must be in (0, 100], got "
                                     f"{self.memory_threshold_percent}")
        if self.max_body_bytes < 256:
            raise ConfigurationError(
                f"max_body_bytes must be at least 256, got {self.max_body_bytes}")
        if self.shutdown_grace_seconds < 0:
            raise ConfigurationError("shutdown_grace_seconds must not be negative")
        if not 1 <= len(self.worker_id) <= 200:
            raise ConfigurationError("worker_id must have 1 to 200 characters")
        if not 0 <= self.cpu_resume_percent < self.cpu_threshold_percent <= 100:
            raise ConfigurationError(
                "need 0 <= cpu_resume_percent < cpu_threshold_percent <= 100, got "
                f"{self.cpu_resume_percent} and {self.cpu_threshold_percent}")
        if min(self.cpu_window_seconds, self.pool_wait_seconds, self.breaker_check_seconds) <= 0:
            raise ConfigurationError("cpu_window_seconds, pool_wait_seconds and "
                                     "breaker_check_seconds must be positive")
        driver_setting(self.db_driver)  # names the problem if it is neither driver
        if any(len(s) < 16 for s in self.webhook_secrets):
            raise ConfigurationError("each webhook secret must have at least 16 characters")

    @property
    def heartbeat_seconds(self) -> float:
        return self.lease_seconds / 3  # two beats may fail before the lease runs out

    def transport(self) -> Transport:
        if self.supabase_url and self.supabase_key:
            return PostgrestTransport(self.supabase_url, self.supabase_key)
        assert self.database_url is not None
        return direct_transport(self.database_url, role=self.db_role, driver=self.db_driver,
                                max_size=max(2, self.pool_size), prepare=self.db_prepare)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> WorkerConfig:
        env = os.environ if env is None else env
        values: dict[str, object] = {}

        def text(key: str, name: str) -> None:
            if env.get(key, "").strip():
                values[name] = env[key].strip()

        def number(key: str, name: str, kind: type[int] | type[float]) -> None:
            raw = env.get(key, "").strip()
            if raw:
                try:
                    values[name] = kind(raw)
                except ValueError:
                    raise ConfigurationError(f"{key} must be a number, got {raw!r}") from None

        text("SUPAJOBS_DATABASE_URL", "database_url")
        text("SUPAJOBS_LISTEN_URL", "listen_url")
        text("SUPABASE_URL", "supabase_url")
        text("SUPABASE_SERVICE_ROLE_KEY", "supabase_key")
        text("SUPAJOBS_WORKER_ID", "worker_id")
        text("SUPAJOBS_DB_ROLE", "db_role")
        values["db_driver"] = driver_setting(env.get("SUPAJOBS_DB_DRIVER"))
        values["db_prepare"] = prepare_setting(env.get("SUPAJOBS_DB_PREPARE"))
        secrets = env.get("SUPAJOBS_WEBHOOK_SECRET", "")  # comma-separated during a rotation
        values["webhook_secrets"] = tuple(s.strip() for s in secrets.split(",") if s.strip())
        types = env.get("SUPAJOBS_JOB_TYPES", "")
        if types.strip():
            values["job_types"] = tuple(t.strip() for t in types.split(",") if t.strip())
        number("SUPAJOBS_CONCURRENCY", "concurrency", int)
        number("SUPAJOBS_LEASE_SECONDS", "lease_seconds", int)
        number("SUPAJOBS_MEMORY_THRESHOLD", "memory_threshold_percent", float)
        number("SUPAJOBS_SHUTDOWN_GRACE", "shutdown_grace_seconds", float)
        number("SUPAJOBS_MAX_BODY_BYTES", "max_body_bytes", int)
        number("SUPAJOBS_CPU_THRESHOLD", "cpu_threshold_percent", float)
        number("SUPAJOBS_CPU_WINDOW", "cpu_window_seconds", float)
        number("SUPAJOBS_CPU_RESUME", "cpu_resume_percent", float)
        number("SUPAJOBS_POOL_WAIT_SECONDS", "pool_wait_seconds", float)
        number("SUPAJOBS_POOL_CALM_SECONDS", "pool_calm_seconds", float)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
