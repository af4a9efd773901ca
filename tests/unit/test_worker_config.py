"""WorkerConfig and the `supajobs-worker` command line: values, defaults, clear errors."""

from __future__ import annotations

import pytest

from supajobs.errors import ConfigurationError
from supajobs.transport.asyncpg_driver import AsyncpgTransport
from supajobs.transport.postgres import PostgresTransport
from supajobs.transport.postgrest import PostgrestTransport
from supajobs_worker.config import WorkerConfig
from supajobs_worker.main import main
from supajobs_worker.registry import REGISTRY

DB = "postgresql://localhost/x"


def test_from_env_reads_every_setting() -> None:
    config = WorkerConfig.from_env({
        "SUPAJOBS_DATABASE_URL": DB, "SUPAJOBS_WEBHOOK_SECRET": "a" * 16 + ", " + "b" * 16,
        "SUPAJOBS_CONCURRENCY": "3", "SUPAJOBS_LEASE_SECONDS": "12",
        "SUPAJOBS_MEMORY_THRESHOLD": "90", "SUPAJOBS_JOB_TYPES": "email_scan, receipt_process",
        "SUPAJOBS_WORKER_ID": "w-7", "SUPAJOBS_SHUTDOWN_GRACE": "2.5",
        "SUPAJOBS_DB_DRIVER": " Psycopg "})
    assert config.webhook_secrets == ("a" * 16, "b" * 16)
    assert (config.concurrency, config.lease_seconds, config.heartbeat_seconds) == (3, 12, 4)
    assert config.memory_threshold_percent == 90 and config.shutdown_grace_seconds == 2.5
    assert config.job_types == ("email_scan", "receipt_process") and config.worker_id == "w-7"
    assert isinstance(config.transport(), PostgresTransport)


def test_defaults_and_overrides() -> None:
    config = WorkerConfig.from_env({"SUPAJOBS_DATABASE_URL": DB}, concurrency=9, job_types=None)
    assert config.concurrency == 9 and config.job_types is None
    assert config.memory_threshold_percent == 95.0 and config.max_body_bytes == 64 * 1024
    assert config.db_driver == "asyncpg" and isinstance(config.transport(), AsyncpgTransport)
    assert config.db_prepare is True


def test_prepared_statements_can_be_turned_off_for_a_pooler() -> None:
    config = WorkerConfig.from_env({"SUPAJOBS_DATABASE_URL": DB, "SUPAJOBS_DB_PREPARE": "off"})
    assert config.db_prepare is False
    assert config.transport()._connect_options["statement_cache_size"] == 0  # type: ignore[attr-defined]
    assert config.worker_id != WorkerConfig.from_env({"SUPAJOBS_DATABASE_URL": DB}).worker_id


def test_supabase_url_and_key_use_postgrest() -> None:
    config = WorkerConfig.from_env({"SUPABASE_URL": "https://p.supabase.co",
                                    "SUPABASE_SERVICE_ROLE_KEY": "key"})
    assert isinstance(config.transport(), PostgrestTransport)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "set SUPAJOBS_DATABASE_URL, or SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY"),
        ({"SUPABASE_URL": "https://p.supabase.co"}, "set SUPAJOBS_DATABASE_URL"),
        ({"SUPAJOBS_DATABASE_URL": DB, "SUPAJOBS_CONCURRENCY": "0"}, "concurrency must be from 1"),
        ({"SUPAJOBS_DATABASE_URL": DB, "SUPAJOBS_CONCURRENCY": "many"}, "SUPAJOBS_CONCURRENCY must be a number"),
        ({"SUPAJOBS_DATABASE_URL": DB, "SUPAJOBS_LEASE_SECONDS": "2"}, "lease_seconds must be from 3"),
        ({"SUPAJOBS_DATABASE_URL": DB, "SUPAJOBS_MEMORY_THRESHOLD": "120"}, "memory_threshold_percent"),
        ({"SUPAJOBS_DATABASE_URL": DB, "SUPAJOBS_WEBHOOK_SECRET": "short"}, "at least 16 characters"),
        ({"SUPAJOBS_DATABASE_URL": DB, "SUPAJOBS_MAX_BODY_BYTES": "10"}, "max_body_bytes"),
        ({"SUPAJOBS_DATABASE_URL": DB, "SUPAJOBS_SHUTDOWN_GRACE": "-1"}, "must not be negative"),
        ({"SUPAJOBS_DATABASE_URL": DB, "SUPAJOBS_DB_DRIVER": "pg8000"},
         "SUPAJOBS_DB_DRIVER must be asyncpg or psycopg, got 'pg8000'"),
        ({"SUPAJOBS_DATABASE_URL": DB, "SUPAJOBS_DB_PREPARE": "sometimes"},
         "SUPAJOBS_DB_PREPARE must be on or off, got 'sometimes'"),
    ],
)
def test_bad_settings_name_the_problem(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        WorkerConfig.from_env(env)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--database-url", DB], "serve needs a webhook secret"),
        (["listen", "--database-url", DB, "--import", "no_such_module_xyz"],
         "cannot import handler module 'no_such_module_xyz'"),
        (["listen", "--database-url", DB, "--import", "unit.worker_isolated"],
         "no handler registered"),
        (["listen", "--database-url", DB, "--concurrency", "0"], "concurrency must be from 1"),
    ],
)
def test_command_line_errors_exit_2(argv: list[str], message: str,
                                    capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("SUPAJOBS_DATABASE_URL", "SUPAJOBS_WEBHOOK_SECRET", "SUPABASE_URL",
                "SUPAJOBS_WORKER_IMPORTS", "SUPABASE_SERVICE_ROLE_KEY"):
        monkeypatch.delenv(key, raising=False)
    # Other tests of the session may have registered handlers on the global registry.
    monkeypatch.setattr(REGISTRY, "_handlers", {})
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err
