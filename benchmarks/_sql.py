"""The benchmark's SQL lives in benchmarks/sql/*.sql; this reads it (never builds it)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import psycopg

SQL_DIR = Path(__file__).resolve().parent / "sql"


@cache
def load(name: str) -> str:
    """The text of sql/<name>.sql: a fixed file of ours, values always go in as parameters."""
    return (SQL_DIR / f"{name}.sql").read_text()


def statements(name: str) -> list[str]:
    """The statements of a parameterless multi-statement file, one by one.

    VACUUM and ALTER SYSTEM refuse to run inside the implicit transaction a multi-statement
    query opens, so such files are sent statement by statement.
    """
    lines = [line for line in load(name).splitlines() if not line.lstrip().startswith("--")]
    parts = "\n".join(lines).split(";\n")
    return [p.strip() for p in parts if p.strip()]


def run_script(conn: psycopg.Connection[Any], name: str) -> None:
    for statement in statements(name):
        conn.execute(statement)
