"""supajobs.backoff_seconds is jobs.backoff_seconds, bit for bit, over many inputs."""

from __future__ import annotations

import random

import psycopg

from supajobs import backoff_seconds


def test_python_formula_equals_sql(db_url: str) -> None:
    rng = random.Random(20261128)
    cases = [(rng.choice([0.5, 1, 10, 20, 30, 60, 120, 300]) * rng.uniform(0.5, 2),
              rng.choice([60, 900, 1800, 3600]) * rng.uniform(1, 3), rng.randint(-2, 40),
              rng.choice([0.0, 0.5, 1.0, rng.random()]), rng.random()) for _ in range(2000)]
    cases += [(10.0, 3600.0, a, 0.5, 0.0) for a in range(0, 20)]  # the exact doubling steps
    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "select jobs.backoff_seconds(b, c, a, j, r) from unnest(%s::float8[], %s::float8[],"
            " %s::int[], %s::float8[], %s::float8[]) with ordinality t(b, c, a, j, r, n) order by n",
            [list(col) for col in zip(*cases, strict=True)]).fetchall()
    assert [row[0] for row in rows] == [backoff_seconds(*case) for case in cases]
