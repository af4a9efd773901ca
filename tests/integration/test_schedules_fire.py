"""fire_schedule with an injected instant: the guard, overlap policies, run-now, history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

Conn = psycopg.Connection[tuple[object, ...]]
T0 = datetime(2027, 1, 4, 23, 0, tzinfo=UTC)  # Tuesday 08:00 JST


def schedule(conn: Conn, name: str, expr: str = "* * * * *", overlap: str = "skip",
             job_type: str = "email_scan", tz: str = "Asia/Tokyo") -> None:
    conn.execute("select jobs.upsert_schedule(%s, %s, %s, '{\"mailbox\": \"inbox\"}', null, %s, %s)",
                 (name, expr, job_type, tz, overlap))


def fire(conn: Conn, name: str, at: datetime) -> int | None:
    row = conn.execute("select (jobs.fire_schedule(%s, %s)).id", (name, at)).fetchone()
    assert row is not None
    return None if row[0] is None else int(str(row[0]))


def test_guard_fires_the_last_day_of_the_month_only(conn: Conn) -> None:
    conn.execute("select receipts.install_standard_schedules()")
    # monthly-report 0 1 L * * (JST) runs on the carrier 0 16 * * * (UTC) every day.
    assert fire(conn, "monthly-report", datetime(2027, 2, 26, 16, tzinfo=UTC)) is None
    job = fire(conn, "monthly-report", datetime(2027, 2, 27, 16, 0, 40, tzinfo=UTC))
    assert job is not None  # 2027-02-28 01:00 JST; the seconds are truncated
    row = conn.execute("select job_type, status, schedule_id is not null, priority from jobs.jobs"
                       " where id = %s", (job,)).fetchone()
    assert row == ("report_generate", "queued", True, "high")  # the job type's default priority
    conn.execute("select jobs.cancel(%s)", (job,))  # else overlap skip would hold the next one
    assert fire(conn, "monthly-report", datetime(2028, 2, 27, 16, tzinfo=UTC)) is None
    assert fire(conn, "monthly-report", datetime(2028, 2, 28, 16, tzinfo=UTC)) is not None
    # exact (unguarded) schedules create a job whenever pg_cron calls them
    assert fire(conn, "mail-monitoring", T0) is not None


def test_overlap_skip_keeps_one_running_job_and_records_skips(conn: Conn) -> None:
    schedule(conn, "scan")
    first = fire(conn, "scan", T0)
    assert fire(conn, "scan", T0 + timedelta(seconds=20)) == first  # same minute: no skip row
    claimed = conn.execute("select id from jobs.claim('slow-worker', array['email_scan'])").fetchall()
    assert claimed == [(first,)]
    for minute in (1, 2, 3):
        assert fire(conn, "scan", T0 + timedelta(minutes=minute)) is None
    jobs_rows = conn.execute("select id, status from jobs.jobs").fetchall()
    assert jobs_rows == [(first, "running")]
    skipped = conn.execute(
        "select e.job_type, e.job_id, e.execution_metadata ->> 'reason',"
        " (e.execution_metadata ->> 'blocking_job_id')::bigint"
        " from jobs.job_executions e join jobs.job_schedules s on s.id = e.schedule_id"
        " where e.status = 'skipped' and s.name = 'scan'").fetchall()
    reason = f"overlap skip: job {first} of this schedule is still running"
    assert skipped == [("email_scan", None, reason, first)] * 3
    history = conn.execute("select status from jobs.schedule_executions('scan', 10)").fetchall()
    assert sorted(history) == [("running",)] + [("skipped",)] * 3

    conn.execute("select jobs.complete('slow-worker', %s)", (first,))
    assert fire(conn, "scan", T0 + timedelta(minutes=4)) not in (None, first)


def test_overlap_queue_waits_for_the_active_run(conn: Conn) -> None:
    schedule(conn, "scan", overlap="queue")
    first = fire(conn, "scan", T0)
    second = fire(conn, "scan", T0 + timedelta(minutes=1))
    rows = conn.execute("select id, status from jobs.jobs order by id").fetchall()
    assert rows == [(first, "queued"), (second, "waiting")]
    deps = conn.execute("select job_id, depends_on_id from jobs.job_dependencies").fetchall()
    assert deps == [(second, first)]


def test_overlap_allow_and_idempotent_minutes(conn: Conn) -> None:
    schedule(conn, "scan", overlap="allow")
    first = fire(conn, "scan", T0)
    assert fire(conn, "scan", T0 + timedelta(seconds=30)) == first  # same minute: same job
    second = fire(conn, "scan", T0 + timedelta(minutes=1))
    assert second not in (None, first)
    assert conn.execute("select count(*) from jobs.jobs where status = 'queued'").fetchone() == (2,)


def test_disabled_schedule_fires_nothing(conn: Conn) -> None:
    schedule(conn, "scan")
    conn.execute("select jobs.disable_schedule('scan')")
    assert fire(conn, "scan", T0) is None
    assert conn.execute("select count(*) from jobs.jobs").fetchone() == (0,)


def test_run_now_ignores_the_calendar_but_not_overlap_skip(conn: Conn) -> None:
    schedule(conn, "report", "0 1 L * *", job_type="report_generate")
    row = conn.execute("select (jobs.run_schedule_now('report')).job_type").fetchone()
    assert row == ("report_generate",)
    with pytest.raises(psycopg.Error) as caught:
        conn.execute("select jobs.run_schedule_now('report')")
    assert caught.value.sqlstate == "SJ409"
    assert "overlap skip" in str(caught.value)
    last = conn.execute("select last_job_id is not null, last_fired_at is not null"
                        " from jobs.job_schedules").fetchone()
    assert last == (True, True)


def test_injection_looking_name_is_stored_and_fired_harmlessly(conn: Conn) -> None:
    name = "x'); drop table jobs.job_schedules; --"
    schedule(conn, name)
    job = fire(conn, name, T0)
    assert job is not None
    command = conn.execute("select jobs._cron_command(%s)", (name,)).fetchone()
    assert command == ("select jobs.fire_schedule('x''); drop table jobs.job_schedules; --')",)
    conn.execute(str(command[0]))  # what pg_cron would run: one more fire, nothing dropped
    assert conn.execute("select count(*) from jobs.job_schedules where name = %s", (name,)
                        ).fetchone() == (1,)
    tables = conn.execute("select count(*) from pg_tables where schemaname = 'jobs'").fetchone()
    assert tables is not None and int(str(tables[0])) >= 8
