"""The full chaos run (`make chaos`, SUPAJOBS_CHAOS=full): 10,000 jobs across 3 webhook workers,
a worker SIGKILLed every 5 s, PostgreSQL restarted once, 20 % of webhooks dropped and 10 %
duplicated. Writes tests/chaos/results/latest.json; the target is recovery p95 <= 10 s."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chaos.config import ChaosConfig
from chaos.driver import ChaosRun
from chaos.report import write
from supajobs_dev.cluster import Cluster

FULL = ChaosConfig(jobs=10_000, workers=3, concurrency=8, sleep_ms=(10, 200),
                   enqueue_per_second=100.0, enqueue_batch=20, first_kill_after=5.0,
                   kill_every=5.0, max_kills=20, restart_db_after=50.0, poison_every=200,
                   deadline=600.0, seed=10_000)

pytestmark = [
    pytest.mark.chaos,
    pytest.mark.skipif(os.environ.get("SUPAJOBS_CHAOS") != "full",
                       reason="the full chaos run takes minutes: SUPAJOBS_CHAOS=full (make chaos)"),
]


@pytest.mark.timeout(900)
def test_full_chaos_run_loses_and_doubles_nothing(cluster: Cluster, db_url: str,
                                                  tmp_path: Path) -> None:
    result = ChaosRun(cluster, db_url, tmp_path, FULL).run()
    summary = result.summary(db_url)
    print("\n" + result.table(summary))
    print(f"written to {write(summary, 'latest.json')}")
    assert result.finished, f"not finished in {FULL.deadline} s: {summary['stats']}"
    assert result.problems == {}, result.problems
    assert summary["stats"]["status"] == {"dead": FULL.jobs // FULL.poison_every,
                                          "succeeded": FULL.jobs - FULL.jobs // FULL.poison_every}
    assert summary["effect_rows"] == FULL.jobs - FULL.jobs // FULL.poison_every
    assert summary["recovery_p95_s"] is not None and summary["recovery_p95_s"] <= 10.0, summary
