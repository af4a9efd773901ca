"""What the search does at scale: the plan PostgreSQL picks for each combination of keys
(which indexes, whether it scans the whole table) and how long the RPC takes."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from typing import Any

import psycopg
from psycopg import sql

# Each key as the CLI user would give it; the combinations are every non-empty subset.
KEYS: dict[str, dict[str, Any]] = {
    "date": {"date_from": date(2025, 4, 1), "date_to": date(2025, 4, 30)},
    "amount": {"amount_min": 12000, "amount_max": 12999},
    "vendor": {"vendor": "ヤマト運輸 難波"},
}
_ORDER = ("date_from", "date_to", "amount_min", "amount_max")


def load_corpus(conn: psycopg.Connection[Any], count: int) -> None:
    text = (files("supajobs_dev.search") / "sql" / "receipts_bulk.sql").read_text()
    conn.execute("select pg_catalog.set_config('supajobs.bulk_count', %s, false)", [str(count)])
    conn.execute(text.encode())  # no parameters: the script's % are SQL's own


@dataclass(frozen=True)
class Plan:
    keys: str
    indexes: tuple[str, ...]
    seq_scan: bool
    rows: int
    median_ms: float


def _walk(node: dict[str, Any], found: list[dict[str, Any]]) -> None:
    found.append(node)
    for child in node.get("Plans", []):
        _walk(child, found)


def explain(conn: psycopg.Connection[Any], args: dict[str, Any]) -> tuple[tuple[str, ...], bool]:
    """The indexes the planner uses for this search, and whether it reads the whole table."""
    key = conn.execute("select receipts._vendor_key(%s)", [args.get("vendor")]).fetchone()
    vendor_key = key[0] if key else None
    query = conn.execute(
        "select receipts._search_query(%s, %s, %s, %s, %s, %s)",
        [*(args.get(k) is not None for k in _ORDER), vendor_key is not None,
         vendor_key is not None and len(vendor_key) >= 2]).fetchone()
    assert query is not None
    values = [*(args.get(k) for k in _ORDER), f"%{vendor_key}%" if vendor_key else None]
    if conn.execute("select 1 from pg_prepared_statements where name = 'search_plan'").fetchone():
        conn.execute("deallocate search_plan")  # not `all`: psycopg keeps its own there
    conn.execute(sql.SQL("prepare search_plan(date, date, integer, integer, text, text[], "
                         "text[], integer) as {}").format(sql.SQL(query[0])))
    # EXPLAIN EXECUTE cannot type bound parameters: the values go in as typed literals.
    typed = [sql.SQL("{}::{}").format(sql.Literal(v), sql.SQL(t))
             for v, t in zip(values, ("date", "date", "integer", "integer", "text"), strict=True)]
    row = conn.execute(sql.SQL(
        "explain (format json) execute search_plan({}, "
        "receipts._bigrams(receipts._vendor_key({}::text)), array['duplicate', 'deleted'], 1000)"
    ).format(sql.SQL(", ").join(typed), sql.Literal(args.get("vendor")))).fetchone()
    assert row is not None
    nodes: list[dict[str, Any]] = []
    _walk(row[0][0]["Plan"], nodes)
    indexes = tuple(sorted({n["Index Name"] for n in nodes if "Index Name" in n}))
    seq = any(n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "receipts"
              for n in nodes)
    return indexes, seq


def measure(conn: psycopg.Connection[Any], name: str, args: dict[str, Any],
            repeat: int = 15) -> Plan:
    indexes, seq = explain(conn, args)
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = len(conn.execute(sql.SQL("select * from receipts.search_receipts({})").format(
            sql.SQL(", ").join(sql.SQL("{} => {}").format(sql.Identifier(k), sql.Placeholder())
                               for k in args)), list(args.values())).fetchall())
        times.append((time.perf_counter() - started) * 1000)
    return Plan(name, indexes, seq, rows, statistics.median(times))


def combinations() -> list[tuple[str, dict[str, Any]]]:
    names = list(KEYS)
    chosen = []
    for mask in range(1, 1 << len(names)):
        picked = [n for i, n in enumerate(names) if mask >> i & 1]
        args: dict[str, Any] = {}
        for n in picked:
            args.update(KEYS[n])
        chosen.append((" + ".join(picked), args))
    return chosen
