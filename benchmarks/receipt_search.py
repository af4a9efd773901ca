"""Receipt search at scale: receipts.search_receipts on 100,000 generated receipts, every
combination of the three keys (date range, amount range, vendor contains), with the plan's
indexes and the median time, side by side with the same search with index scans turned off
(what the table would cost without them).

Usage: .venv/bin/python benchmarks/receipt_search.py   (or `make bench-search`)
Environment: BENCH_RECEIPTS (default 100000), BENCH_REPEAT (default 15),
BENCH_OUTPUT (default results/receipt_search.json).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import psycopg
from _cluster import bench_cluster
from _report import machine

from supajobs_dev.search.plans import combinations, load_corpus, measure

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "receipt_search.json"
NO_INDEXES = ("set enable_indexscan = off", "set enable_bitmapscan = off")


def run(conn: psycopg.Connection[Any], repeat: int) -> list[dict[str, Any]]:
    rows = []
    for name, args in combinations():
        with_indexes = measure(conn, name, args, repeat)
        for statement in NO_INDEXES:
            conn.execute(statement)
        without = measure(conn, name, args, repeat)
        conn.execute("reset all")
        rows.append({**asdict(with_indexes), "seq_scan_ms": without.median_ms,
                     "speedup": without.median_ms / max(with_indexes.median_ms, 1e-6)})
    return rows


def table(rows: list[dict[str, Any]], count: int) -> str:
    head = (f"| search over {count:,} receipts | rows | indexes used | median ms | "
            "without indexes ms | speed-up |")
    lines = [head, "|" + "|".join("-" * len(c) for c in head.split("|")[1:-1]) + "|"]
    for r in rows:
        used = ", ".join(i.removeprefix("receipts_") for i in r["indexes"]) or "(seq scan)"
        lines.append(f"| {r['keys']} | {r['rows']} | {used} | {r['median_ms']:.2f} | "
                     f"{r['seq_scan_ms']:.2f} | {r['speedup']:.0f}x |")
    return "\n".join(lines)


def main() -> int:
    count = int(os.environ.get("BENCH_RECEIPTS", "100000"))
    repeat = int(os.environ.get("BENCH_REPEAT", "15"))
    output = Path(os.environ.get("BENCH_OUTPUT", DEFAULT_OUTPUT))
    with bench_cluster() as cluster, psycopg.connect(cluster.url(), autocommit=True) as conn:
        started = time.perf_counter()
        load_corpus(conn, count)
        loaded = time.perf_counter() - started
        rows = run(conn, repeat)
    print(f"generated {count:,} receipts (one chained version each) in {loaded:.1f} s\n")
    print(table(rows, count))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({"machine": machine(), "receipts": count, "load_seconds": loaded,
                                  "rows": rows}, ensure_ascii=False, indent=1) + "\n")
    return 0 if not any(r["seq_scan"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
