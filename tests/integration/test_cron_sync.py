"""cron.job equals job_schedules after every operation, and after repair of hand edits.

Runs in the `postgres` database where pg_cron lives; expressions are chosen so nothing fires
during the test, and everything created is removed afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import psycopg
import pytest

Conn = psycopg.Connection[tuple[object, ...]]
PREFIX = "sync-test "
pytestmark = pytest.mark.cron


@pytest.fixture
def cron_conn(cron_db_url: str) -> Iterator[Conn]:
    with psycopg.connect(cron_db_url, autocommit=True) as conn:
        yield conn
        conn.execute("delete from jobs.jobs where schedule_id in"
                     " (select id from jobs.job_schedules where starts_with(name, %s))", (PREFIX,))
        conn.execute("select jobs.delete_schedule(name) from jobs.job_schedules"
                     " where starts_with(name, %s)", (PREFIX,))
        conn.execute("select cron.unschedule(jobid) from cron.job"
                     " where jobname in ('supajobs:ghost', 'other-app')")


def assert_in_sync(conn: Conn) -> None:
    actual = conn.execute(
        "select jobname, schedule, command, active, database from cron.job"
        " where starts_with(jobname, 'supajobs:') order by jobname").fetchall()
    wanted = conn.execute(
        "select cron_job_name, utc_expression, jobs._cron_command(name), true, current_database()"
        " from jobs.job_schedules where enabled order by cron_job_name").fetchall()
    assert actual == wanted


def upsert(conn: Conn, name: str, expr: str, enabled: bool = True) -> None:
    conn.execute("select jobs.upsert_schedule(%s, %s, 'file_organize', '{}', null, 'Asia/Tokyo',"
                 " 'skip', %s)", (PREFIX + name, expr, enabled))


def test_every_operation_keeps_cron_job_equal(cron_conn: Conn) -> None:
    steps: list[Callable[[], object]] = [
        lambda: upsert(cron_conn, "a", "0 8 * * 1-5"),
        lambda: upsert(cron_conn, "b", "0 1 L * *", enabled=False),
        lambda: upsert(cron_conn, "a", "30 9 1 1 *"),
        lambda: cron_conn.execute("select jobs.disable_schedule(%s)", (PREFIX + "a",)),
        lambda: cron_conn.execute("select jobs.enable_schedule(%s)", (PREFIX + "b",)),
        lambda: upsert(cron_conn, "b", "0 1 L * *", enabled=True),
        lambda: cron_conn.execute("select jobs.delete_schedule(%s)", (PREFIX + "b",)),
        lambda: cron_conn.execute("select jobs.enable_schedule(%s)", (PREFIX + "a",)),
        lambda: cron_conn.execute("select jobs.repair_schedules()"),
    ]
    for step in steps:
        step()
        assert_in_sync(cron_conn)
    row = cron_conn.execute("select schedule, command from cron.job where jobname = %s",
                            ("supajobs:" + PREFIX + "a",)).fetchone()
    assert row == ("30 0 1 1 *", f"select jobs.fire_schedule('{PREFIX}a')")


def test_repair_undoes_hand_edits_and_leaves_other_jobs_alone(cron_conn: Conn) -> None:
    for name in ("a", "b", "c", "d"):
        upsert(cron_conn, name, "0 8 * * 1-5")
    job = "supajobs:" + PREFIX
    cron_conn.execute("update cron.job set schedule = '0 0 1 1 *' where jobname = %s", (job + "a",))
    cron_conn.execute("update cron.job set active = false where jobname = %s", (job + "b",))
    cron_conn.execute("update cron.job set command = 'select 1' where jobname = %s", (job + "c",))
    cron_conn.execute("delete from cron.job where jobname = %s", (job + "d",))
    cron_conn.execute("select cron.schedule('supajobs:ghost', '0 0 1 1 *', 'select 1')")
    cron_conn.execute("select cron.schedule('other-app', '0 0 1 1 *', 'select 2')")
    cron_conn.execute("select cron.unschedule('supajobs-sweeper')")

    result = cron_conn.execute("select jobs.repair_schedules()").fetchone()
    assert result is not None
    summary = result[0]
    assert isinstance(summary, dict)
    assert (summary["created"], summary["updated"], summary["removed"]) == (1, 3, 1)
    assert summary["housekeeping_changed"] == 1
    assert_in_sync(cron_conn)
    others = cron_conn.execute("select jobname, command from cron.job where jobname in"
                               " ('other-app', 'supajobs-sweeper') order by jobname").fetchall()
    assert others == [("other-app", "select 2"), ("supajobs-sweeper", "select jobs.sweep()")]

    again = cron_conn.execute("select jobs.repair_schedules()").fetchone()
    assert again is not None and isinstance(again[0], dict)
    assert [again[0][k] for k in ("recompiled", "created", "updated", "removed")] == [0, 0, 0, 0]


def test_housekeeping_jobs_exist(cron_conn: Conn) -> None:
    rows = cron_conn.execute("select jobname, schedule, command from cron.job where jobname in"
                             " ('supajobs-sweeper', 'supajobs-retention') order by jobname").fetchall()
    # Debian's pg_cron 1.4 has no seconds: the sweeper runs every minute.
    assert rows == [("supajobs-retention", "17 3 * * *", "select jobs.prune_history()"),
                    ("supajobs-sweeper", "* * * * *", "select jobs.sweep()")]


def test_injection_looking_name_is_quoted_in_the_cron_command(cron_conn: Conn) -> None:
    name = PREFIX + "x'); drop table jobs.job_schedules; --"
    cron_conn.execute("select jobs.upsert_schedule(%s, '0 0 1 1 *', 'file_organize')", (name,))
    assert_in_sync(cron_conn)
    row = cron_conn.execute("select command from cron.job where jobname = %s",
                            ("supajobs:" + name,)).fetchone()
    assert row == (f"select jobs.fire_schedule('{PREFIX}x''); drop table jobs.job_schedules; --')",)
    cron_conn.execute(str(row[0]))  # exactly what pg_cron runs; not a fire time: a no-op
    for table in ("job_schedules", "jobs", "job_executions", "job_types", "settings"):
        assert cron_conn.execute("select to_regclass(%s) is not null", (f"jobs.{table}",)
                                 ).fetchone() == (True,)
    assert cron_conn.execute("select count(*) from jobs.job_schedules where name = %s", (name,)
                             ).fetchone() == (1,)
