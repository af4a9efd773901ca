"""The schema listing that docs/sql-api.md carries between its schema markers.

`python tests/support/schema_doc.py` (`make schema-doc`) migrates a throwaway cluster and
rewrites the block from it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "sql-api.md"
LISTING_SQL = (Path(__file__).parent / "schema_listing.sql").read_text()
BLOCK = re.compile(r"(<!-- schema:begin -->\n```text\n)(.*?)(```\n<!-- schema:end -->)", re.S)


def live_listing(conn: psycopg.Connection[Any]) -> list[str]:
    return [row[0] for row in conn.execute(LISTING_SQL).fetchall()]


def documented_listing() -> list[str]:
    match = BLOCK.search(DOC.read_text())
    if match is None:
        raise AssertionError(f"{DOC} has no schema block")
    return [line for line in match.group(2).splitlines() if line]


def write_listing(lines: list[str]) -> None:
    text = DOC.read_text()
    DOC.write_text(BLOCK.sub(lambda m: m.group(1) + "\n".join(lines) + "\n" + m.group(3), text))


def main() -> None:
    from supajobs.migrations import db_push
    from supajobs_dev.cluster import create_cluster, destroy_cluster
    from supajobs_dev.project import create_roles

    cluster = create_cluster()
    try:
        create_roles(cluster.url())
        db_push(cluster.url())
        with psycopg.connect(cluster.url()) as connection:
            write_listing(live_listing(connection))
    finally:
        destroy_cluster(cluster)


if __name__ == "__main__":
    main()
