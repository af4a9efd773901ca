"""What the compiler sends to cron.schedule on pg_cron 1.6 (Supabase) and on 1.4 (Debian).

1.6 cannot be installed here: a scratch database gets a stand-in cron catalogue
(support/fake_pg_cron.sql) recording every cron.schedule call, and jobs._pg_cron_version()
replaced. The 1.4 path also runs against the real pg_cron 1.4 of the cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

Conn = psycopg.Connection[tuple[object, ...]]
FAKE_CRON = Path(__file__).resolve().parents[1] / "support" / "fake_pg_cron.sql"

# (expression, zone) -> (sent on 1.6, sent on 1.4); "guard" rows: a carrier plus the guard
CASES: dict[tuple[str, str], tuple[tuple[str, bool], tuple[str, bool]]] = {
    ("0 12 L * *", "Asia/Tokyo"): (("0 3 $ * *", False), ("0 3 * * *", True)),
    ("0 12 L * *", "UTC"): (("0 12 $ * *", False), ("0 12 * * *", True)),
    ("15 9 L 2,8 *", "UTC"): (("15 9 $ 2,8 *", False), ("15 9 * * *", True)),
    # 05:30 in Tokyo is 20:30 UTC of the day before: the last local day is not UTC's `$`
    ("30 5 L * *", "Asia/Tokyo"): (("30 20 * * *", True), ("30 20 * * *", True)),
    # Berlin changes its offset: not exact on either version
    ("0 12 L * *", "Europe/Berlin"): (("0 10,11 * * *", True), ("0 10,11 * * *", True)),
    # `$` only alone and on every weekday (pg_cron would be asked for lists or the day OR)
    ("0 12 1,L * *", "UTC"): (("0 12 * * *", True), ("0 12 * * *", True)),
    ("0 12 L * 1", "UTC"): (("0 12 * * *", True), ("0 12 * * *", True)),
    # no L: both versions alike
    ("0 12 15 * *", "Asia/Tokyo"): (("0 3 15 * *", False), ("0 3 15 * *", False)),
}


@pytest.fixture
def fake_cron(conn: Conn) -> Callable[[str], Conn]:
    conn.execute(FAKE_CRON.read_text())

    def as_version(version: str) -> Conn:
        conn.execute("create or replace function jobs._pg_cron_version() returns integer[]"
                     f" language sql stable as $$ select '{version}'::integer[] $$")
        return conn
    return as_version


def schedule(conn: Conn, name: str, expr: str, tz: str) -> tuple[str, bool]:
    conn.execute("select jobs.upsert_schedule(%s, %s, 'file_organize', '{}', null, %s)",
                 (name, expr, tz))
    row = conn.execute("select utc_expression, needs_guard from jobs.job_schedules"
                       " where name = %s", (name,)).fetchone()
    assert row is not None
    return str(row[0]), bool(row[1])


def sent(conn: Conn, name: str) -> str:
    rows = conn.execute("select schedule from cron.sent where jobname = %s order by n",
                        ("supajobs:" + name,)).fetchall()
    return str(rows[-1][0])


@pytest.mark.parametrize("version", ["{1,6}", "{1,5}", "{1,4}"])
def test_what_cron_schedule_receives(fake_cron: Callable[[str], Conn], version: str) -> None:
    conn = fake_cron(version)
    modern = version != "{1,4}"
    for i, ((expr, tz), (new, old)) in enumerate(CASES.items()):
        wanted = new if modern else old
        assert schedule(conn, f"s{i}", expr, tz) == wanted, (expr, tz)
        assert sent(conn, f"s{i}") == wanted[0]


def test_the_sweeper_runs_every_ten_seconds_on_16(fake_cron: Callable[[str], Conn]) -> None:
    for version, wanted in (("{1,6}", "10 seconds"), ("{1,4}", "* * * * *")):
        conn = fake_cron(version)
        conn.execute("select jobs.repair_schedules()")
        row = conn.execute("select schedule from cron.job where jobname = 'supajobs-sweeper'"
                           ).fetchone()
        assert row == (wanted,)


def test_an_upgrade_recompiles_with_repair(fake_cron: Callable[[str], Conn]) -> None:
    conn = fake_cron("{1,4}")
    assert schedule(conn, "eom", "0 12 L * *", "UTC") == ("0 12 * * *", True)
    fake_cron("{1,6}")
    result = conn.execute("select jobs.repair_schedules()").fetchone()
    assert result is not None and result[0]["recompiled"] == 1  # type: ignore[index]
    assert sent(conn, "eom") == "0 12 $ * *"
    row = conn.execute("select schedule from cron.job where jobname = 'supajobs:eom'").fetchone()
    assert row == ("0 12 $ * *",)


def test_the_fire_times_are_the_same_on_both(fake_cron: Callable[[str], Conn]) -> None:
    start, end = datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)
    times = {}
    for version in ("{1,6}", "{1,4}"):
        conn = fake_cron(version)
        schedule(conn, "eom", "0 12 L * *", "Asia/Tokyo")
        times[version] = [r[0] for r in conn.execute(
            "select jobs.schedule_fire_times('eom', %s, %s)", (start, end)).fetchall()]
    assert times["{1,6}"] == times["{1,4}"]
    assert len(times["{1,4}"]) == 12
    assert times["{1,4}"][1] == datetime(2027, 2, 28, 3, 0, tzinfo=UTC)  # 12:00 in Tokyo


@pytest.fixture
def real_cron(cron_db_url: str) -> Iterator[Conn]:
    with psycopg.connect(cron_db_url, autocommit=True) as conn:
        yield conn
        conn.execute("select jobs.delete_schedule(name) from jobs.job_schedules"
                     " where name = 'versions-eom'")


@pytest.mark.cron
def test_the_real_pg_cron_14_gets_the_emulation(real_cron: Conn) -> None:
    assert real_cron.execute("select jobs._pg_cron_version()").fetchone() == ([1, 4],)
    expr, tz = "0 12 L * *", "Asia/Tokyo"
    assert schedule(real_cron, "versions-eom", expr, tz) == CASES[expr, tz][1]
    row = real_cron.execute("select schedule from cron.job where jobname = 'supajobs:versions-eom'"
                            ).fetchone()
    assert row == (CASES[expr, tz][1][0],)
