"""Search at scale: a generated corpus and the plans and times of receipts.search_receipts
(benchmarks/receipt_search.py, tests/integration/test_receipts_search_plans.py)."""
