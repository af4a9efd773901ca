"""Hypothesis strategies shared by the fuzz properties: cron expressions and JSON values."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


def _field(lo: int, hi: int, *, max_values: int, allow_star: bool = True,
           names: list[str] | None = None) -> st.SearchStrategy[str]:
    """One cron field: *, n, a-b, a-b/s, */s, lists of those (names where cron allows them)."""
    value = st.integers(lo, hi)
    named = value.map(str) if names is None else st.one_of(
        value.map(str), st.integers(0, len(names) - 1).map(lambda i: names[i]))
    # a-a is refused on purpose (croniter reads it as the whole cycle): ranges are a < b
    pair = st.integers(lo, hi - 1).flatmap(lambda a: st.integers(a + 1, hi).map(lambda b: (a, b)))
    span = pair.map(lambda p: f"{p[0]}-{p[1]}")
    stepped = st.tuples(pair, st.integers(1, max(1, hi - lo))).map(
        lambda t: f"{t[0][0]}-{t[0][1]}/{t[1]}")
    single = st.one_of(named, span, stepped)
    listed = st.lists(single, min_size=1, max_size=max_values).map(",".join)
    choices = [listed]
    if allow_star:
        step = st.integers(max(1, (hi - lo + 1) // max_values), hi - lo + 1)
        choices += [st.just("*"), step.map(lambda s: f"*/{s}")]
    return st.one_of(*choices)


# Sparse enough that croniter enumerates a week of fires quickly (minutes are never '*').
MINUTES = _field(0, 59, max_values=3, allow_star=False)
HOURS = _field(0, 23, max_values=4)
DOMS = st.one_of(_field(1, 31, max_values=4), st.just("L"),
                 _field(1, 28, max_values=2).map(lambda f: f"{f},L"))
MONTHS = _field(1, 12, max_values=4, names=MONTH_NAMES)
DOWS = _field(0, 7, max_values=3, names=DAY_NAMES)
CRON = st.tuples(MINUTES, HOURS, DOMS, MONTHS, DOWS).map(" ".join)

# Zones with DST, half- and quarter-hour offsets, a 30-minute DST shift, and fixed ones.
ZONES = ["Asia/Tokyo", "UTC", "America/New_York", "Europe/London", "Asia/Kolkata",
         "Asia/Kathmandu", "Australia/Lord_Howe", "America/St_Johns", "Pacific/Chatham",
         "Australia/Adelaide", "America/Sao_Paulo"]


# Floats whose Python repr is plain decimal, as PostgreSQL writes jsonb numbers: Python writes
# 1e16 as "1e+16", PostgreSQL as "10000000000000000" (see test_payload_fuzz's known bugs).
PLAIN_FLOATS = st.one_of(st.just(0.0), st.floats(1e-4, 1e15), st.floats(-1e15, -1e-4))


def json_values(*, text: st.SearchStrategy[str] | None = None,
                floats: st.SearchStrategy[float] = PLAIN_FLOATS) -> st.SearchStrategy[Any]:
    """Arbitrary JSON (no NaN/Infinity: JSON has none)."""
    strings = text if text is not None else st.text(max_size=20)
    leaves = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), floats, strings)
    return st.recursive(leaves, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(strings, inner, max_size=4)), max_leaves=12)


def fuzz_settings(examples: int) -> settings:
    """Bounded and reproducible in `make test`; SUPAJOBS_FUZZ_SCALE=10 explores ten times more,
    with fresh random draws."""
    scale = int(os.environ.get("SUPAJOBS_FUZZ_SCALE", "1"))
    return settings(max_examples=examples * scale, deadline=None, derandomize=scale == 1,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
