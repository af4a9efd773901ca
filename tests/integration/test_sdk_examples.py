"""The examples run as users run them, against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run_example(name: str, db_url: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPABASE_")}
    env["SUPAJOBS_DATABASE_URL"] = db_url
    done = subprocess.run([sys.executable, str(EXAMPLES / name)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_quickstart(db_url: str) -> None:
    out = run_example("quickstart.py", db_url)
    assert "enqueued job 1: receipt_process (queued, priority high)" in out
    assert "same idempotency key -> same job: True" in out


def test_standard_schedules(db_url: str) -> None:
    out = run_example("standard_schedules.py", db_url)
    assert "monthly-report   0 1 L * *" in out and "Asia/Tokyo" in out
    assert out.count("next: ") == 5 and "JST" in out


@pytest.mark.parametrize("name", ["custom_handler.py"])
def test_custom_handler(db_url: str, name: str) -> None:
    out = run_example(name, db_url)
    assert "succeeded, result {'words': 6}" in out
