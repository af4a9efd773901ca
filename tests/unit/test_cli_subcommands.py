"""The relay and dashboard subcommands: reachable from `supajobs`, clear errors, no traceback."""

from __future__ import annotations

import pytest

from supajobs.cli.main import main


def test_relay_options_are_its_own(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["relay", "--db-url", "postgresql://x/y", "--drop-rate", "2"])
    assert stop.value.code == 2
    assert "drop" in capsys.readouterr().err


def test_relay_is_listed_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "relay" in out and "dashboard" in out


def test_dashboard_without_a_connection_says_what_to_set(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("SUPABASE_URL", "SUPAJOBS_DATABASE_URL", "SUPABASE_SERVICE_ROLE_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert main(["dashboard"]) == 5
    assert "SUPAJOBS_DATABASE_URL" in capsys.readouterr().out
