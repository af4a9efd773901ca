"""Flow control under real load: worker processes that run a probe job type with declared
rate limits, and the checks of the starts they made (tests/e2e/test_flow_workers.py,
benchmarks/rate_limits.py; docs/flow-control.md)."""
