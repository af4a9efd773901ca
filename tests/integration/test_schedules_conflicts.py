"""The conflict plan: competing schedules that fire close together, with a staggered suggestion."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

Conn = psycopg.Connection[tuple[object, ...]]
START = datetime(2027, 1, 1, tzinfo=UTC)


def add(conn: Conn, name: str, expr: str, job_type: str, tz: str = "Asia/Tokyo") -> None:
    conn.execute("select jobs.upsert_schedule(%s, %s, %s, '{}', null, %s)", (name, expr, job_type, tz))


def plan(conn: Conn, window: int = 10, horizon: str = "31 days") -> list[tuple[object, ...]]:
    return conn.execute(
        "select schedule_a, schedule_b, reason, clashes, first_clash, min_gap_minutes,"
        " suggested_expression from jobs.schedule_conflicts(%s::interval, %s, %s)",
        (horizon, window, START)).fetchall()


def test_competing_schedules_are_listed_with_a_stagger(conn: Conn) -> None:
    add(conn, "scan-a", "0 8 * * 1-5", "email_scan")
    add(conn, "scan-b", "5 8 * * *", "email_scan")
    add(conn, "report", "0 1 L * *", "report_generate")      # heavy
    add(conn, "backup", "0 1 * * 0", "backup_create")         # heavy
    add(conn, "organize", "0 1 * * *", "file_organize")       # same times, but light: no clash
    add(conn, "scan-ny", "0 18 * * *", "email_scan", "America/New_York")  # 08:00 JST in winter
    # Ordered by first clash; each suggestion clears its pair (shifted by whole minutes).
    rows = plan(conn)
    assert rows == [
        ("scan-b", "scan-ny", "same job type email_scan", 31,
         datetime(2027, 1, 1, 23, 0, tzinfo=UTC), 5.0, "16 18 * * *"),
        ("scan-a", "scan-b", "same job type email_scan", 21,
         datetime(2027, 1, 3, 23, 0, tzinfo=UTC), 5.0, "11 8 * * *"),
        ("scan-a", "scan-ny", "same job type email_scan", 21,
         datetime(2027, 1, 3, 23, 0, tzinfo=UTC), 0.0, "11 18 * * *"),
        ("backup", "report", "both heavy (backup_create, report_generate)", 1,
         datetime(2027, 1, 30, 16, 0, tzinfo=UTC), 0.0, "11 1 L * *"),
    ]


def test_window_is_inclusive_and_disabled_schedules_do_not_count(conn: Conn) -> None:
    add(conn, "a", "0 3 * * *", "backup_create")
    add(conn, "b", "10 3 * * *", "backup_create")
    assert [r[:2] for r in plan(conn, window=10, horizon="2 days")] == [("a", "b")]
    assert plan(conn, window=9, horizon="2 days") == []
    conn.execute("select jobs.disable_schedule('b')")
    assert plan(conn, window=10, horizon="2 days") == []


def test_no_suggestion_when_no_minute_shift_clears(conn: Conn) -> None:
    add(conn, "a", "*/5 * * * *", "file_organize")
    add(conn, "b", "0 * * * *", "file_organize")
    rows = plan(conn, window=10, horizon="1 day")
    assert [(r[0], r[1], r[6]) for r in rows] == [("a", "b", None)]


@pytest.mark.parametrize(("args", "message"), [
    (("7 days", -1), "window_minutes must be from 0 to 1440, got -1"),
    (("0 days", 10), "horizon must be positive and at most 366 days"),
    (("400 days", 10), "horizon must be positive and at most 366 days"),
])
def test_bad_parameters(conn: Conn, args: tuple[str, int], message: str) -> None:
    with pytest.raises(psycopg.Error) as caught:
        conn.execute("select * from jobs.schedule_conflicts(%s::interval, %s)", args)
    assert caught.value.sqlstate == "SJ105"
    assert message in str(caught.value)


def test_schedule_fire_times(conn: Conn) -> None:
    add(conn, "report", "0 1 L * *", "report_generate")
    rows = conn.execute("select jobs.schedule_fire_times('report', %s, %s::timestamptz + interval"
                        " '100 days', 3)", (START, START)).fetchall()
    assert [r[0] for r in rows] == [datetime(2027, 1, 30, 16, tzinfo=UTC),
                                    datetime(2027, 2, 27, 16, tzinfo=UTC),
                                    datetime(2027, 3, 30, 16, tzinfo=UTC)]
