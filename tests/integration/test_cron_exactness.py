"""Fire times over a simulated year equal croniter's, in four zones (incl. DST change days).

What the database does: pg_cron runs the compiled UTC expression (checked here with croniter in
UTC), and fire_schedule's guard (jobs._cron_spec_matches, with the instant injected) filters
carrier fires. The union of both must be exactly croniter's schedule in the local zone.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

import psycopg
import pytest
from croniter import croniter

ZONES = ["Asia/Tokyo", "UTC", "America/New_York", "Europe/London"]
STANDARD = ["0 8 * * 1-5", "0 23 * * *", "0 2 * * 0", "0 1 L * *", "0 3 * * 1"]
# Hand-picked edge cases: wrapping hours, the DST gap/overlap hours, L with weekdays, names.
EDGES = ["30 2 * * *", "30 1 * * *", "0,30 1-3 * * SUN", "15 0 1 * *", "45 23 L * *",
         "0 22,23,0,1 * * MON-FRI", "5 9 1,15 * *", "0 1 L * 5", "59 0 * 3,10,11 *", "0 8 31 * *"]
MONTHS = ["JAN", "MAR", "APR", "OCT", "NOV"]
Conn = psycopg.Connection[tuple[object, ...]]


def generated(count: int, seed: int = 20261128) -> list[str]:
    """Sparse random expressions (at most ~800 fires a year, so croniter stays quick)."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        minute = rng.choice([str(rng.randrange(60)), f"{rng.randrange(30)},{rng.randrange(30, 60)}",
                             "*/30", f"{rng.randrange(10)}-{rng.randrange(40, 60)}/20"])
        hour = rng.choice([str(rng.randrange(24)), f"{rng.randrange(12)},{rng.randrange(12, 24)}",
                           f"{rng.randrange(3)}-{rng.randrange(20, 24)}/6", "22-23", "0-2",
                           "23,0", "1-3", "*/8"])
        dom = rng.choice(["*", "*", str(rng.randrange(1, 29)), "L", "1,15", "1-7", "L,15",
                          "29-31", "*/10", f"{rng.randrange(1, 10)}-{rng.randrange(20, 29)}/3"])
        month = rng.choice(["*", "*", f"{rng.choice(MONTHS)}-DEC", "2-11", "3,11", "OCT"])
        dow = rng.choice(["*", "*", "MON-FRI", "1-5", "0,6", "SAT,SUN", "5", "7", "*/2", "0-6"])
        expr = f"{minute} {hour} {dom} {month} {dow}"
        fields = croniter.expand(expr)[0]
        per_day = len(fields[0]) * len(fields[1])
        if per_day * 365 > 800 and (dom == "*" and dow == "*"):
            continue
        if per_day > 8:
            continue
        out.append(expr)
    return out


def fires(expr: str, start: datetime, end: datetime) -> list[datetime]:
    """croniter's fire instants in [start, end), in UTC."""
    it = croniter(expr, start - timedelta(minutes=1))
    result: list[datetime] = []
    while (at := it.get_next(datetime).astimezone(UTC)) < end:
        if at >= start:
            result.append(at)
    return result


def carrier_fires(utc_expression: str, start: datetime, end: datetime) -> list[datetime]:
    """A carrier is 'M H * * *': every UTC day at those times (croniter's sets, enumerated
    directly: iterating croniter over thousands of carrier fires is what would be slow)."""
    fields = utc_expression.split(" ")
    assert fields[2:] == ["*", "*", "*"], utc_expression
    expanded = croniter.expand(utc_expression)[0]
    minutes = range(60) if expanded[0] == ["*"] else [int(m) for m in expanded[0]]
    hours = range(24) if expanded[1] == ["*"] else [int(h) for h in expanded[1]]
    day = datetime(start.year, start.month, start.day, tzinfo=UTC)
    result: list[datetime] = []
    while day < end:
        result += [t for h in hours for m in minutes
                   if start <= (t := day + timedelta(hours=h, minutes=m)) < end]
        day += timedelta(days=1)
    return result


def database_fires(conn: Conn, expr: str, tz: str, start: datetime, end: datetime
                   ) -> tuple[list[datetime], bool]:
    row = conn.execute("select utc_expression, needs_guard from jobs._cron_compile(%s, %s)",
                       (expr, tz)).fetchone()
    assert row is not None
    utc_expression, needs_guard = str(row[0]), bool(row[1])
    if not needs_guard:
        return fires(utc_expression, start.astimezone(UTC), end), False
    pg_cron_fires = carrier_fires(utc_expression, start.astimezone(UTC), end)
    # One query per expression: the guard over every carrier fire of the year. Not prepared:
    # a generic plan would parse the expression once per row instead of once per query.
    rows = conn.execute(
        "select t from unnest(%s::timestamptz[]) t"
        " where jobs._cron_spec_matches(jobs._cron_parse(%s), %s, t) order by t",
        (pg_cron_fires, expr, tz), prepare=False).fetchall()
    return [cast(datetime, r[0]) for r in rows], True


@pytest.mark.parametrize("tz", ZONES)
def test_fire_times_equal_croniter_over_a_year(conn: Conn, tz: str) -> None:
    zone = ZoneInfo(tz)
    start = datetime(2027, 1, 1, tzinfo=zone)
    end = datetime(2028, 1, 1, tzinfo=zone).astimezone(UTC)
    expressions = STANDARD + EDGES + generated(30)
    guarded = 0
    for expr in expressions:
        expected = fires(expr, start, end)
        actual, needs_guard = database_fires(conn, expr, tz, start, end)
        guarded += needs_guard
        assert actual == expected, (
            f"{expr!r} in {tz}: extra {sorted(set(actual) - set(expected))[:3]}, "
            f"missing {sorted(set(expected) - set(actual))[:3]}")
    # Fixed-offset zones compile what cron can say exactly; DST zones always need the guard.
    if tz in ("America/New_York", "Europe/London"):
        assert guarded == len(expressions)
    else:
        assert 0 < guarded < len(expressions)


def test_dst_change_days_are_covered(conn: Conn) -> None:
    """The DST gap and overlap really occur in the simulated year and behave like croniter."""
    ny = ZoneInfo("America/New_York")
    start, end = datetime(2027, 3, 14, tzinfo=ny), datetime(2027, 3, 15, tzinfo=ny).astimezone(UTC)
    actual, _ = database_fires(conn, "30 2 * * *", "America/New_York", start, end)
    assert actual == [datetime(2027, 3, 14, 7, 0, tzinfo=UTC)]  # 02:30 skipped: fires at 03:00
    start, end = datetime(2027, 11, 7, tzinfo=ny), datetime(2027, 11, 8, tzinfo=ny).astimezone(UTC)
    actual, _ = database_fires(conn, "30 1 * * *", "America/New_York", start, end)
    assert actual == [datetime(2027, 11, 7, 5, 30, tzinfo=UTC), datetime(2027, 11, 7, 6, 30, tzinfo=UTC)]
