"""Parsing and compiling cron expressions in SQL: same sets as croniter, clear errors."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
import pytest
from croniter import croniter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

Conn = psycopg.Connection[tuple[object, ...]]
FIELDS = [(0, 59, None), (0, 23, None), (1, 31, None),
          (1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
          (0, 6, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])]


@st.composite
def field(draw: st.DrawFn, index: int) -> str:
    lo, hi, names = FIELDS[index]

    def value(v: int) -> str:
        if names and draw(st.booleans()):
            return names[v - lo]
        return str(v)

    def element() -> str:
        kind = draw(st.sampled_from(["value", "range", "step", "star_step", "start_step", "star"]))
        a = draw(st.integers(lo, hi - 1))
        b = draw(st.integers(a + 1, hi))
        step = draw(st.integers(1, 12))
        return {"value": value(a), "range": f"{value(a)}-{value(b)}",
                "step": f"{value(a)}-{value(b)}/{step}", "star_step": f"*/{step}",
                "start_step": f"{value(a)}/{step}", "star": "*"}[kind]

    elements = [element() for _ in range(draw(st.integers(1, 3)))]
    if index == 2 and draw(st.integers(0, 4)) == 0:
        elements.append("L")
    return ",".join(elements)


expressions = st.tuples(*(field(i) for i in range(5))).map(" ".join)


def ints(values: object) -> set[int]:
    assert isinstance(values, list)
    return {int(v) for v in values}


def as_set(expanded: Sequence[object], lo: int, hi: int) -> tuple[set[int], bool]:
    if "*" in expanded:
        return set(range(lo, hi + 1)), True
    return {int(str(v)) for v in expanded if v != "l"}, "l" in expanded


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(expr=expressions)
def test_parse_matches_croniter(conn: Conn, expr: str) -> None:
    row = conn.execute("select (s).* from jobs._cron_parse(%s) s", (expr,)).fetchone()
    assert row is not None
    minutes, hours, doms, dom_last, months, dows, m_star, h_star, d_star, mo_star, w_star = row
    expanded = croniter.expand(expr)[0]
    assert as_set(expanded[0], 0, 59)[0] == ints(minutes)
    assert as_set(expanded[1], 0, 23)[0] == ints(hours)
    assert as_set(expanded[3], 1, 12)[0] == ints(months)
    assert as_set(expanded[4], 0, 6)[0] == ints(dows)
    if "*" not in expanded[2]:
        assert as_set(expanded[2], 1, 31) == (ints(doms), dom_last)
    # The star flags decide the day-of-month OR day-of-week rule and the DST-gap rule.
    assert [m_star, h_star, d_star, mo_star, w_star] == ["*" in e for e in expanded]


@pytest.mark.parametrize(("expr", "message"), [
    ("61 * * * *", 'cron_expression "61 * * * *": minute 61 is out of range 0-59'),
    ("* 24 * * *", "hour 24 is out of range 0-23"),
    ("* * 0 * *", "day-of-month 0 is out of range 1-31"),
    ("* * * 13 *", "month 13 is out of range 1-12"),
    ("* * * * 8", "day-of-week 8 is out of range 0-7"),
    ("* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 4"),
    ("* * * * * *", "got 6"),
    ("30 seconds", "second-level schedules are pg_cron's own syntax"),
    ("1 Second", 'a schedule fires at most once a minute: write 5 fields'),
    ("", "cron_expression is required"),
    ("*/0 * * * *", 'minute step "0" must be from 1 to 9999'),
    ("10-5 * * * *", 'minute range "10-5" runs backwards (10 > 5)'),
    ("5-5 * * * *", 'minute range "5-5" starts and ends at 5'),
    ("* * * FOO *", 'month value "FOO" is not a number or a name (JAN...DEC)'),
    ("* * * * MONDAY", 'day-of-week value "MONDAY" is not a number or a name (SUN...SAT)'),
    ("L * * * *", "L is only allowed in day-of-month, not in minute"),
    ("* * L-2 * *", "L must stand alone"),
    ("* * 1,,2 * *", 'day-of-month "1,,2" has an empty list element'),
    ("* * * * 1#2", 'day-of-week element "1#2" is not a value'),
    ("? * * * *", 'minute element "?" is not a value'),
])
def test_invalid_expressions_name_the_problem(conn: Conn, expr: str, message: str) -> None:
    with pytest.raises(psycopg.Error) as caught:
        conn.execute("select jobs._cron_parse(%s)", (expr,))
    assert caught.value.sqlstate == "SJ107"
    assert message in str(caught.value)


@pytest.mark.parametrize(("expr", "tz", "compiled", "guard"), [
    ("0 8 * * 1-5", "Asia/Tokyo", "0 23 * * 0-4", False),   # weekdays 08:00 JST = Sun-Thu 23:00 UTC
    ("0 23 * * *", "Asia/Tokyo", "0 14 * * *", False),
    ("0 2 * * 0", "Asia/Tokyo", "0 17 * * 6", False),
    ("0 3 * * 1", "Asia/Tokyo", "0 18 * * 0", False),
    ("0 1 L * *", "Asia/Tokyo", "0 16 * * *", True),         # L: daily carrier + guard
    ("0 8 2,15 * *", "Asia/Tokyo", "0 23 1,14 * *", False),   # day-of-month shifts too
    ("0 8 1 * *", "Asia/Tokyo", "0 23 * * *", True),         # the 1st would be last of month
    ("0 8 * JAN MON", "Asia/Tokyo", "0 23 * * *", True),     # weekday may cross a month edge
    ("30 9,20 * * *", "Asia/Tokyo", "30 0,11 * * *", False),  # mixed wrap, no day fields
    ("0 20 * * FRI", "America/New_York", "0 0,1 * * *", True),
    ("*/15 9-17 * * 1-5", "UTC", "0,15,30,45 9-17 * * 1-5", False),
    ("@daily", "Asia/Tokyo", "0 15 * * *", False),
])
def test_compile(conn: Conn, expr: str, tz: str, compiled: str, guard: bool) -> None:
    row = conn.execute("select * from jobs._cron_compile(%s, %s)", (expr, tz)).fetchone()
    assert row == (compiled, guard)


def test_compiled_expression_is_what_pg_cron_14_accepts(conn: Conn) -> None:
    """No seconds, no $, no L, no names: only numbers, ranges, lists and *."""
    rows = conn.execute(
        "select (jobs._cron_compile(e, z)).utc_expression from unnest(%s::text[]) e,"
        " unnest(array['Asia/Tokyo', 'Europe/London', 'UTC']) z",
        (["0 1 L * *", "*/7 */5 L,3 JAN-MAR MON-FRI", "@hourly", "59 23 31 12 SAT"],)).fetchall()
    for (compiled,) in rows:
        assert len(str(compiled).split(" ")) == 5
        assert all(ch in "0123456789,-* " for ch in str(compiled)), compiled
