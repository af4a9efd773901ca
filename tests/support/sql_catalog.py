"""A catalog snapshot of what our SQL creates, and a diff that names the objects that differ.

The queries live in tests/support/sql/*.sql; each returns (object, props): a name such as
`function jobs.enqueue(job_type text, ...)` or `column jobs.jobs.run_at`, unique across the
snapshot, and a JSON object of what matters about it (definition, privileges, body md5...).
Two databases built from the same SQL give equal snapshots, whatever their OIDs or order.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

SQL_DIR = Path(__file__).parent / "sql"
# Sections in the order the report lists them; cron_jobs only where pg_cron is installed.
SECTIONS = ("schemas", "extensions", "types", "relations", "columns", "constraints", "indexes",
            "triggers", "policies", "functions", "default_acls", "seed_rows", "cron_jobs")

Snapshot = dict[str, dict[str, Any]]


def section_sql(section: str) -> str:
    return (SQL_DIR / f"{section}.sql").read_text()


def snapshot(conn: psycopg.Connection[Any]) -> Snapshot:
    """Every section's rows, object -> props. Names are printed fully qualified."""
    taken: Snapshot = {}
    conn.execute("set search_path = ''")
    try:
        has_cron = conn.execute("select to_regclass('cron.job') is not null").fetchone()
        for section in SECTIONS:
            if section == "cron_jobs" and not (has_cron and has_cron[0]):
                continue
            for obj, props in conn.execute(section_sql(section)).fetchall():
                if obj in taken:
                    raise AssertionError(f"snapshot names {obj!r} twice ({section}.sql)")
                taken[obj] = props
    finally:
        conn.execute("reset search_path")
    return taken


def snapshot_url(url: str) -> Snapshot:
    with psycopg.connect(url, autocommit=True) as conn:
        return snapshot(conn)


@dataclass(frozen=True)
class Difference:
    """One object that is missing on one side, or whose properties differ."""

    object: str
    change: str  # "missing in <side>" or "differs"
    details: tuple[str, ...] = ()

    def render(self) -> str:
        head = f"{self.object}: {self.change}"
        return "\n".join([head, *("    " + line for line in self.details)])


def _value_diff(key: str, a: Any, b: Any, a_name: str, b_name: str) -> list[str]:
    if isinstance(a, str) and isinstance(b, str) and ("\n" in a or "\n" in b):
        lines = difflib.unified_diff(a.splitlines(), b.splitlines(), a_name, b_name,
                                     lineterm="", n=1)
        return [f"{key}:", *(f"  {line}" for line in list(lines)[:40])]
    return [f"{key}: {a_name}={json.dumps(a)} {b_name}={json.dumps(b)}"]


def compare(a: Snapshot, b: Snapshot, a_name: str = "A", b_name: str = "B") -> list[Difference]:
    """Differences between two snapshots, one per object, sorted by object name."""
    found: list[Difference] = []
    for obj in sorted(set(a) | set(b)):
        if obj not in b:
            found.append(Difference(obj, f"missing in {b_name}"))
        elif obj not in a:
            found.append(Difference(obj, f"missing in {a_name}"))
        elif a[obj] != b[obj]:
            details: list[str] = []
            for key in sorted(set(a[obj]) | set(b[obj])):
                if a[obj].get(key) != b[obj].get(key):
                    details += _value_diff(key, a[obj].get(key), b[obj].get(key), a_name, b_name)
            found.append(Difference(obj, "differs", tuple(details)))
    return found


def report(differences: list[Difference]) -> str:
    if not differences:
        return "no differences"
    count = "1 object differs" if len(differences) == 1 else f"{len(differences)} objects differ"
    return f"{count}:\n" + "\n".join(d.render() for d in differences)


def differing_objects(differences: list[Difference]) -> list[str]:
    return [d.object for d in differences]
