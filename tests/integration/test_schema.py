"""The migrations produce exactly the documented schema, and pushing twice changes nothing."""

from __future__ import annotations

from typing import Any

import psycopg

from supajobs.migrations import db_push
from supajobs_dev.cluster import Cluster
from support.schema_doc import documented_listing, live_listing


def test_schema_matches_docs_sql_api(conn: psycopg.Connection[Any]) -> None:
    live = live_listing(conn)
    documented = documented_listing()
    missing = sorted(set(live) - set(documented))
    extra = sorted(set(documented) - set(live))
    assert (missing, extra) == ([], []), (
        "docs/sql-api.md is out of date; regenerate with `make schema-doc`")


def test_second_push_is_a_no_op(cluster: Cluster, conn: psycopg.Connection[Any]) -> None:
    before = live_listing(conn)
    output = db_push(cluster.url(conn.info.dbname))
    assert "Remote database is up to date" in output
    assert live_listing(conn) == before
