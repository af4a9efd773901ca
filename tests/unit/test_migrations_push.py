"""db push refuses to report success it cannot show: every shipped migration recorded."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from supajobs import migrations
from supajobs.errors import ConfigurationError, SupajobsError
from supajobs.project_files import migration_versions, packaged_project, stage_workdir


def fake_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, code: int, output: str) -> None:
    cli = tmp_path / "supabase"
    cli.write_text("#!/bin/sh\n")
    monkeypatch.setenv("SUPABASE_BIN", str(cli))

    def run(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
        staged = Path(cmd[cmd.index("--workdir") + 1]) / "supabase" / "migrations"
        assert sorted(p.name[:14] for p in staged.iterdir()) == migration_versions()
        return subprocess.CompletedProcess(cmd, code, output, "")

    monkeypatch.setattr(migrations.subprocess, "run", run)


def test_success_without_the_records_is_an_error(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    fake_cli(monkeypatch, tmp_path, 0, "Remote database is up to date.\n")
    monkeypatch.setattr(migrations, "recorded_versions", lambda url: set())
    with pytest.raises(SupajobsError, match=r"exited 0 but \d+ of \d+ migrations are not "
                                            r"recorded"):
        migrations.db_push("postgresql://db")


def test_success_with_every_record_returns_the_output(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    fake_cli(monkeypatch, tmp_path, 0, "Applying migration…\n")
    monkeypatch.setattr(migrations, "recorded_versions", lambda url: set(migration_versions()))
    assert migrations.db_push("postgresql://db") == "Applying migration…\n"


def test_a_tls_failure_hints_at_sslmode_only_without_one(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    fake_cli(monkeypatch, tmp_path, 1, "failed to connect: tls error (server refused TLS)")
    with pytest.raises(SupajobsError) as plain:
        migrations.db_push("postgresql://db")
    assert plain.value.hint is not None and "sslmode=disable" in plain.value.hint
    with pytest.raises(SupajobsError) as explicit:
        migrations.db_push("postgresql://db?sslmode=require")
    assert explicit.value.hint is None


def test_a_missing_configured_cli_is_named(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    monkeypatch.setenv("SUPABASE_BIN", str(tmp_path / "nope"))
    with pytest.raises(ConfigurationError, match=r"SUPABASE_BIN=.*nope: no such file"):
        migrations.supabase_bin()


def test_staging_copies_config_and_migrations(tmp_path: Path) -> None:
    workdir = stage_workdir(tmp_path)
    assert (workdir / "supabase" / "config.toml").read_bytes() == (
        packaged_project() / "config.toml").read_bytes()
    assert len(list((workdir / "supabase" / "migrations").iterdir())) == len(
        migration_versions())


def test_staging_an_empty_project_applies_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "project"
    (empty / "migrations").mkdir(parents=True)
    with pytest.raises(ConfigurationError, match="ships no migrations"):
        stage_workdir(tmp_path / "work", empty)
    assert not (tmp_path / "work").exists()
