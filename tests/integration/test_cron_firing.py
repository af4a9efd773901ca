"""pg_cron itself fires schedules: a fire within 70 s, none when disabled, again when re-enabled.

pg_cron 1.4 fires on minute boundaries, so the test needs two of them (about 90 s on average):
schedules A and B both fire at the first boundary; then A is disabled, and B is disabled and
re-enabled; at the second boundary B fires again and A does not.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import psycopg
import pytest

Conn = psycopg.Connection[tuple[object, ...]]
PREFIX = "firing-test "
JOB_TYPE = "cron_probe"
pytestmark = pytest.mark.cron


@pytest.fixture
def cron_conn(cron_db_url: str) -> Iterator[Conn]:
    with psycopg.connect(cron_db_url, autocommit=True) as conn:
        conn.execute("select jobs.upsert_job_type(%s)", (JOB_TYPE,))
        yield conn
        conn.execute("select jobs.delete_schedule(name) from jobs.job_schedules"
                     " where starts_with(name, %s)", (PREFIX,))
        conn.execute("delete from jobs.job_executions where job_type = %s", (JOB_TYPE,))
        conn.execute("delete from jobs.jobs where job_type = %s", (JOB_TYPE,))
        conn.execute("delete from jobs.job_types where name = %s", (JOB_TYPE,))


def job_counts(conn: Conn) -> dict[str, int]:
    rows = conn.execute(
        "select s.name, count(j.id) from jobs.job_schedules s"
        " left join jobs.jobs j on j.schedule_id = s.id"
        " where starts_with(s.name, %s) group by s.name", (PREFIX,)).fetchall()
    return {str(name)[len(PREFIX):]: int(str(n)) for name, n in rows}


def wait_for(conn: Conn, wanted: dict[str, int], seconds: float) -> dict[str, int]:
    deadline = time.monotonic() + seconds
    while (counts := job_counts(conn)) != wanted and time.monotonic() < deadline:
        time.sleep(0.5)
    return counts


def test_pg_cron_fires_stops_when_disabled_and_fires_again(cron_conn: Conn) -> None:
    second = datetime.now().second
    if second >= 50:  # too close to a boundary for pg_cron to pick the new job up reliably
        time.sleep(61 - second)
    for name in ("a", "b"):
        cron_conn.execute("select jobs.upsert_schedule(%s, '* * * * *', %s, '{}', null, 'UTC',"
                          " 'allow')", (PREFIX + name, JOB_TYPE))

    assert wait_for(cron_conn, {"a": 1, "b": 1}, 70) == {"a": 1, "b": 1}
    runs = cron_conn.execute(
        "select count(*) from cron.job_run_details d join cron.job c on c.jobid = d.jobid"
        " where c.jobname = %s and d.status = 'succeeded'", ("supajobs:" + PREFIX + "a",)).fetchone()
    assert runs == (1,)
    # The job is real work: a worker claims it and an execution row records the attempt.
    claimed = cron_conn.execute("select id from jobs.claim('probe', array[%s], 10)", (JOB_TYPE,)
                                ).fetchall()
    assert len(claimed) == 2
    executions = cron_conn.execute(
        "select count(*) from jobs.job_attempts where job_type = %s and status = 'running'",
        (JOB_TYPE,)).fetchone()
    assert executions == (2,)

    cron_conn.execute("select jobs.disable_schedule(%s)", (PREFIX + "a",))
    cron_conn.execute("select jobs.disable_schedule(%s)", (PREFIX + "b",))
    cron_conn.execute("select jobs.enable_schedule(%s)", (PREFIX + "b",))
    assert cron_conn.execute("select count(*) from cron.job where starts_with(jobname, %s)",
                             ("supajobs:" + PREFIX,)).fetchone() == (1,)

    assert wait_for(cron_conn, {"a": 1, "b": 2}, 70) == {"a": 1, "b": 2}
