"""At scale the search reads indexes, not the whole table, for every combination of keys
(the 100,000-receipt numbers are benchmarks/receipt_search.py's, in docs/benchmarks.md)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from supajobs_dev.search.plans import combinations, explain, load_corpus

SEARCH_INDEXES = {"receipts_date_idx", "receipts_total_idx", "receipts_vendor_bigrams_idx"}


@pytest.fixture
def corpus(conn: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    load_corpus(conn, 20_000)
    return conn


def test_each_combination_uses_the_indexes(corpus: psycopg.Connection[Any]) -> None:
    row = corpus.execute("select count(*), max(seq) from receipts.receipt_versions").fetchone()
    assert row == (20_000, 20_000)  # chained like real receipts
    for name, args in combinations():  # one corpus for all: loading it is the slow part
        indexes, seq_scan = explain(corpus, args)
        assert not seq_scan, f"{name}: reads the whole table"
        assert set(indexes) & SEARCH_INDEXES, f"{name}: uses {indexes}"
