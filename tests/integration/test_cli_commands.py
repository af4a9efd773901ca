"""The `supajobs` CLI against a real database: human tables, --json parsed back, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from supajobs.cli.main import main
from support.rpc import service_connection
from support.sdk_scenarios import dead, succeeded


def run(capsys: pytest.CaptureFixture[str], db_url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--db-url", db_url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], db_url: str, *argv: str) -> Any:
    code, out, err = run(capsys, db_url, "--json", *argv)
    assert code == 0, err
    return json.loads(out)


def test_jobs_enqueue_show_cancel(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    job = run_json(capsys, db_url, "jobs", "enqueue", "receipt_process", "--payload",
                   '{"file": "r.pdf"}', "--priority", "high", "--idempotency-key", "cli-1")
    assert (job["job_type"], job["priority"], job["status"]) == ("receipt_process", "high",
                                                                 "queued")
    shown = run_json(capsys, db_url, "jobs", "show", str(job["id"]))
    assert shown["job"]["payload"] == {"file": "r.pdf"} and shown["history"] == []
    code, out, _ = run(capsys, db_url, "jobs", "show", str(job["id"]))
    assert code == 0 and "receipt_process" in out and "STATUS" in out  # a human table
    assert run_json(capsys, db_url, "jobs", "cancel", str(job["id"]))["status"] == "cancelled"
    code, _, err = run(capsys, db_url, "jobs", "cancel", str(job["id"]))
    assert code == 4 and "already cancelled" in err and "Traceback" not in err


def test_jobs_wait_reports_progress_and_outcome(capsys: pytest.CaptureFixture[str],
                                                db_url: str) -> None:
    with service_connection(db_url) as conn:
        done, died = succeeded(conn), dead(conn)
    code, out, err = run(capsys, db_url, "jobs", "wait", str(done), "--timeout", "2")
    assert code == 0 and f"job {done}: succeeded" in out
    code, out, _ = run(capsys, db_url, "--json", "jobs", "wait", str(died), "--timeout", "2")
    assert code == 8 and json.loads(out)["status"] == "dead"
    queued = run_json(capsys, db_url, "jobs", "enqueue", "email_scan")
    code, _, err = run(capsys, db_url, "jobs", "wait", str(queued["id"]), "--timeout", "0.3",
                       "--interval", "0.1")
    assert code == 7 and "still queued" in err


def test_errors_have_exit_codes_and_no_traceback(capsys: pytest.CaptureFixture[str],
                                                 db_url: str) -> None:
    code, _, err = run(capsys, db_url, "jobs", "show", "99999")
    assert code == 3 and "error [SJ404]: job 99999 does not exist" in err
    code, _, err = run(capsys, db_url, "jobs", "enqueue", "no_such_type")
    assert code == 2 and "is not a known job type" in err
    code, _, err = run(capsys, db_url, "jobs", "enqueue", "email_scan", "--payload", "[1]")
    assert code == 2 and "--payload must be a JSON object" in err
    code, _, err = run(capsys, db_url, "schedules", "add", "s", "0 8 * * * *", "email_scan")
    assert code == 2 and "expected 5 fields" in err
    code, _, err = run(capsys, db_url, "schedules", "add", "s", "0 8 * * *", "email_scan",
                       "--timezone", "Asia/Tokio")
    assert code == 2 and "'Asia/Tokio' is not a known IANA time zone" in err


def test_schedules_commands(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    installed = run_json(capsys, db_url, "receipts", "install-schedules")
    assert [s["name"] for s in installed][:2] == ["mail-monitoring", "daily-cleanup"]
    listed = run_json(capsys, db_url, "schedules", "list")
    report = next(s for s in listed if s["name"] == "monthly-report")
    assert report["cron_expression"] == "0 1 L * *" and report["next_fire"].endswith("+09:00")
    code, out, _ = run(capsys, db_url, "schedules", "list")
    assert code == 0 and "JST" in out  # times shown in the schedule's zone
    added = run_json(capsys, db_url, "schedules", "add", "ny", "30 9 * * 1-5", "email_scan",
                     "--timezone", "America/New_York", "--overlap", "queue")
    assert added["timezone"] == "America/New_York" and added["overlap"] == "queue"
    assert run_json(capsys, db_url, "schedules", "pause", "ny")["enabled"] is False
    assert run_json(capsys, db_url, "schedules", "resume", "ny")["enabled"] is True
    job = run_json(capsys, db_url, "schedules", "run-now", "weekly-backup")
    assert job["job_type"] == "backup_create"
    code, _, err = run(capsys, db_url, "schedules", "run-now", "weekly-backup")
    assert code == 4 and "overlap skip" in err
    fires = run_json(capsys, db_url, "schedules", "plan", "--days", "7")
    daily = [f for f in fires if f["schedule"] == "daily-cleanup"]
    assert len(daily) == 7 and all(f["at"].endswith("23:00:00+09:00") for f in daily)
    assert run_json(capsys, db_url, "schedules", "delete", "ny") == {"deleted": True, "name": "ny"}
    code, _, err = run(capsys, db_url, "schedules", "delete", "ny")
    assert code == 3 and "does not exist" in err


def test_dlq_and_stats(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    with service_connection(db_url) as conn:
        first, second = dead(conn), dead(conn)
    letters = run_json(capsys, db_url, "dlq", "list")
    assert {d["id"] for d in letters} == {first, second}
    assert letters[0]["attempt_history"][0]["error"] == "broken"
    assert run_json(capsys, db_url, "dlq", "requeue", str(first))["status"] == "queued"
    assert run_json(capsys, db_url, "dlq", "purge", "--older-than-days", "1") == {"purged": 0}
    assert run_json(capsys, db_url, "dlq", "purge") == {"purged": 1}
    stats = run_json(capsys, db_url, "stats")
    assert {"job_type": "file_organize", "status": "queued", "jobs": 1}.items() <= next(
        s for s in stats if s["job_type"] == "file_organize" and s["status"] == "queued").items()
    code, out, _ = run(capsys, db_url, "jobs", "watch", "--count", "1")
    assert code == 0 and "file_organize" in out


def test_console_script_without_configuration_is_clear() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("SUPABASE_URL", "SUPABASE_SERVICE_ROLE_KEY", "SUPAJOBS_DATABASE_URL")}
    done = subprocess.run([sys.executable, "-m", "supajobs.cli.main", "stats"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 5
    assert "no supajobs connection configured" in done.stderr and "Traceback" not in done.stderr
    usage = subprocess.run([sys.executable, "-m", "supajobs.cli.main", "jobs", "frobnicate"],
                           env=env, capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and "invalid choice" in usage.stderr
