"""Schedule CRUD in a database without pg_cron: validation, compile, enable/disable, delete."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.rows import dict_row

Conn = psycopg.Connection[tuple[object, ...]]
UPSERT = "select * from jobs.upsert_schedule(%s, %s, %s, %s::jsonb, %s, %s, %s, %s)"


def upsert(conn: Conn, name: str, expr: str = "0 8 * * 1-5", job_type: str = "email_scan",
           payload: str = "{}", priority: str | None = None, tz: str = "Asia/Tokyo",
           overlap: str = "skip", enabled: bool = True) -> dict[str, object]:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(UPSERT, (name, expr, job_type, payload, priority, tz, overlap, enabled)
                          ).fetchone()
    assert row is not None
    return row


def test_create_read_update_delete(conn: Conn) -> None:
    created = upsert(conn, "mail", "  0   8 * *  MON-FRI ", priority="high")
    assert created["cron_expression"] == "0 8 * * MON-FRI"
    assert created["utc_expression"] == "0 23 * * 0-4"
    assert created["needs_guard"] is False
    assert created["cron_job_name"] == "supajobs:mail"
    assert created["timezone"] == "Asia/Tokyo" and created["overlap"] == "skip"

    updated = upsert(conn, "mail", "0 1 L * *", tz="UTC", overlap="queue")
    assert updated["id"] == created["id"]
    assert (updated["utc_expression"], updated["needs_guard"]) == ("0 1 * * *", True)
    assert updated["priority"] is None

    disabled = conn.execute("select enabled from jobs.disable_schedule('mail')").fetchone()
    assert disabled == (False,)
    enabled = conn.execute("select enabled from jobs.enable_schedule('mail')").fetchone()
    assert enabled == (True,)
    names = conn.execute("select name from jobs.list_schedules()").fetchall()
    assert names == [("mail",)]
    assert conn.execute("select name from jobs.get_schedule('mail')").fetchone() == ("mail",)

    assert conn.execute("select jobs.delete_schedule('mail')").fetchone() == (True,)
    for call in ("select jobs.get_schedule('mail')", "select jobs.delete_schedule('mail')",
                 "select jobs.disable_schedule('mail')", "select jobs.fire_schedule('mail')"):
        with pytest.raises(psycopg.Error) as caught:
            conn.execute(call)
        assert caught.value.sqlstate == "SJ404"
        assert "schedule 'mail' does not exist" in str(caught.value)


@pytest.mark.parametrize(("kwargs", "code", "message"), [
    ({"expr": "0 25 * * *"}, "SJ107", "hour 25 is out of range 0-23"),
    ({"tz": "Asia/Tokio"}, "SJ108", "timezone 'Asia/Tokio' is not a known IANA time zone"),
    ({"tz": "JST"}, "SJ108", "timezone 'JST' is not a known IANA time zone"),
    ({"name": ""}, "SJ109", "schedule name is required"),
    ({"name": "a" * 55}, "SJ109", "is 55 bytes long; at most 54 are allowed"),
    ({"name": "two\nlines"}, "SJ109", "contains a control character"),
    ({"name": " padded"}, "SJ109", "starts or ends with white space"),
    ({"overlap": "sometimes"}, "SJ110", "overlap 'sometimes' is not one of skip, queue, allow"),
    ({"job_type": "nope"}, "SJ100", "job_type 'nope' is not a registered job type"),
    ({"priority": "urgent"}, "SJ104", "priority 'urgent' is not one of critical, high, medium, low"),
    ({"payload": "[1]"}, "SJ101", "payload must be a JSON object"),
])
def test_bad_input_is_refused_with_a_clear_error(conn: Conn, kwargs: dict[str, str], code: str,
                                                 message: str) -> None:
    args = {"name": "bad"} | kwargs
    with pytest.raises(psycopg.Error) as caught:
        upsert(conn, **args)  # type: ignore[arg-type]
    assert caught.value.sqlstate == code
    assert message in str(caught.value)
    assert conn.execute("select count(*) from jobs.job_schedules").fetchone() == (0,)


def test_multibyte_names_are_counted_in_bytes(conn: Conn) -> None:
    upsert(conn, "月次" * 9)  # 54 bytes: the longest allowed
    with pytest.raises(psycopg.Error) as caught:
        upsert(conn, "月次" * 9 + "x")
    assert caught.value.sqlstate == "SJ109"


def test_install_standard_schedules(conn: Conn) -> None:
    rows = conn.execute(
        "select name, cron_expression, job_type, timezone, utc_expression, needs_guard"
        " from receipts.install_standard_schedules()").fetchall()
    assert rows == [
        ("mail-monitoring", "0 8 * * 1-5", "email_scan", "Asia/Tokyo", "0 23 * * 0-4", False),
        ("daily-cleanup", "0 23 * * *", "file_organize", "Asia/Tokyo", "0 14 * * *", False),
        ("weekly-dedup", "0 2 * * 0", "duplicate_cleanup", "Asia/Tokyo", "0 17 * * 6", False),
        ("monthly-report", "0 1 L * *", "report_generate", "Asia/Tokyo", "0 16 * * *", True),
        ("weekly-backup", "0 3 * * 1", "backup_create", "Asia/Tokyo", "0 18 * * 0", False),
    ]
    again = conn.execute("select count(*) from receipts.install_standard_schedules()").fetchone()
    assert again == (5,)
    assert conn.execute("select count(*) from jobs.job_schedules").fetchone() == (5,)


@pytest.mark.parametrize("role", ["anon", "authenticated"])
def test_only_service_role_may_manage_schedules(conn: Conn, role: str) -> None:
    upsert(conn, "mail")
    conn.execute(f"set role {role}")
    for call in ("select jobs.list_schedules()", "select jobs.fire_schedule('mail')",
                 "select jobs.repair_schedules()", "select jobs._cron_matches('* * * * *', 'UTC', now())"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(call)
    conn.execute("reset role")
    conn.execute("set role service_role")
    assert conn.execute("select count(*) from jobs.list_schedules()").fetchone() == (1,)
    assert conn.execute("select (jobs.fire_schedule('mail', '2027-01-04 23:00Z')).id is not null"
                        ).fetchone() == (True,)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("select jobs._cron_parse('* * * * *')")  # internal helpers: no grant
    conn.execute("reset role")
