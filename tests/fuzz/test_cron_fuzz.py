"""Hypothesis: for random cron expressions and zones, what the database fires (the compiled UTC
expression pg_cron runs, filtered by fire_schedule's guard when needed) equals croniter's
schedule in the zone, over a random week of the next two years. Complements the fixed-list
year-long check in tests/integration/test_cron_exactness.py (whose helpers it reuses)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
from hypothesis import given
from hypothesis import strategies as st

from fuzz.strategies import CRON, ZONES, fuzz_settings
from integration.test_cron_exactness import database_fires, fires

Conn = psycopg.Connection[tuple[object, ...]]
FUZZ = fuzz_settings(60)


@FUZZ
@given(expr=CRON, tz=st.sampled_from(ZONES), day=st.integers(0, 700))
def test_compiled_schedule_and_guard_equal_croniter(conn: Conn, expr: str, tz: str,
                                                    day: int) -> None:
    conn.execute("select jobs.validate_cron_expression(%s)", [expr])  # accepted as valid
    today = datetime.now(UTC).date() + timedelta(days=day)
    start = datetime(today.year, today.month, today.day, tzinfo=ZoneInfo(tz))
    end = (start + timedelta(days=8)).astimezone(UTC)
    expected = fires(expr, start, end)
    actual, _ = database_fires(conn, expr, tz, start, end)
    assert actual == expected, (
        f"{expr!r} in {tz} from {start}: extra {sorted(set(actual) - set(expected))[:3]},"
        f" missing {sorted(set(expected) - set(actual))[:3]}")


@FUZZ
@given(expr=CRON, tz=st.sampled_from(ZONES))
def test_compiled_expression_is_plain_five_field_cron(conn: Conn, expr: str, tz: str) -> None:
    row = conn.execute("select utc_expression from jobs._cron_compile(%s, %s)",
                       [expr, tz]).fetchone()
    assert row is not None
    fields = str(row[0]).split(" ")
    assert len(fields) == 5  # what every pg_cron version understands: no L, no seconds
    assert "L" not in str(row[0]) and "$" not in str(row[0])
