"""Retention: old cron.job_run_details and job_executions go, newer rows and running ones stay."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

Conn = psycopg.Connection[tuple[object, ...]]
MARK = "retention-test"
pytestmark = pytest.mark.cron


@pytest.fixture
def cron_conn(cron_db_url: str) -> Iterator[Conn]:
    with psycopg.connect(cron_db_url, autocommit=True) as conn:
        yield conn
        conn.execute("delete from cron.job_run_details where command like %s", (MARK + "%",))
        conn.execute("delete from jobs.job_executions where worker_id = %s", (MARK,))
        conn.execute("update jobs.settings set value = '90' where key = 'retention.job_executions_days'")


def add_run(conn: Conn, label: str, age: str) -> None:
    conn.execute(
        "insert into cron.job_run_details (jobid, runid, database, username, command, status,"
        " start_time, end_time) values (0, nextval('cron.runid_seq'), 'postgres', 'postgres',"
        " %s, 'succeeded', now() - %s::interval, now() - %s::interval)",
        (f"{MARK} {label}", age, age))


def add_execution(conn: Conn, label: str, age: str, status: str = "completed") -> None:
    conn.execute(
        "insert into jobs.job_executions (job_type, worker_id, status, started_at, completed_at,"
        " error_message) values ('file_organize', %s, %s, now() - %s::interval,"
        " case when %s <> 'running' then now() - %s::interval end, %s)",
        (MARK, status, age, status, age, label))


def remaining(conn: Conn) -> tuple[list[str], list[str]]:
    runs = conn.execute("select substr(command, length(%s) + 2) from cron.job_run_details"
                        " where command like %s order by 1", (MARK, MARK + "%")).fetchall()
    executions = conn.execute("select error_message from jobs.job_executions where worker_id = %s"
                              " order by 1", (MARK,)).fetchall()
    return [str(r[0]) for r in runs], [str(e[0]) for e in executions]


def test_prune_history_defaults(cron_conn: Conn) -> None:
    add_run(cron_conn, "old", "8 days")
    add_run(cron_conn, "new", "6 days 23 hours")
    add_execution(cron_conn, "old", "91 days")
    add_execution(cron_conn, "new", "89 days")
    add_execution(cron_conn, "old-but-running", "200 days", status="running")
    result = cron_conn.execute("select jobs.prune_history()").fetchone()
    assert result is not None and isinstance(result[0], dict)
    assert result[0]["cron_job_run_details"] >= 1 and result[0]["job_executions"] >= 1
    assert (result[0]["run_details_days"], result[0]["executions_days"]) == (7, 90)
    assert remaining(cron_conn) == (["new"], ["new", "old-but-running"])


def test_prune_history_is_configurable(cron_conn: Conn) -> None:
    add_execution(cron_conn, "45 days", "45 days")
    add_execution(cron_conn, "20 days", "20 days")
    add_run(cron_conn, "3 days", "3 days")
    cron_conn.execute("update jobs.settings set value = '30' where key = 'retention.job_executions_days'")
    cron_conn.execute("select jobs.prune_history()")
    assert remaining(cron_conn) == (["3 days"], ["20 days"])
    cron_conn.execute("select jobs.prune_history(run_details_days => 2, executions_days => 10)")
    assert remaining(cron_conn) == ([], [])


def test_negative_retention_is_refused(cron_conn: Conn) -> None:
    with pytest.raises(psycopg.Error) as caught:
        cron_conn.execute("select jobs.prune_history(executions_days => -1)")
    assert caught.value.sqlstate == "SJ105"
    assert "retention days must be >= 0" in str(caught.value)


def test_prune_history_without_pg_cron(conn: Conn) -> None:
    conn.execute("insert into jobs.job_executions (job_type, status, started_at, completed_at)"
                 " values ('file_organize', 'completed', now() - interval '100 days',"
                 " now() - interval '100 days')")
    result = conn.execute("select jobs.prune_history()").fetchone()
    assert result is not None and isinstance(result[0], dict)
    assert (result[0]["cron_job_run_details"], result[0]["job_executions"]) == (0, 1)
