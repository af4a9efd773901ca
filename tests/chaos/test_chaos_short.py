"""The short chaos run (part of `make test`): 600 jobs, 3 webhook workers, 3 SIGKILLs, one
PostgreSQL restart, 20 % of webhooks dropped and 10 % duplicated. Nothing lost, nothing doubled."""

from __future__ import annotations

from pathlib import Path

from chaos.config import ChaosConfig
from chaos.driver import ChaosRun
from chaos.report import write
from supajobs_dev.cluster import Cluster


def test_short_chaos_run_loses_and_doubles_nothing(cluster: Cluster, db_url: str,
                                                   tmp_path: Path) -> None:
    config = ChaosConfig()  # the defaults are the short run
    result = ChaosRun(cluster, db_url, tmp_path, config).run()
    summary = result.summary(db_url)
    print("\n" + result.table(summary))
    write(summary, "short.json")
    assert result.finished, f"not finished in {config.deadline} s: {summary['stats']}"
    assert result.problems == {}, result.problems
    assert summary["jobs"] == config.jobs
    assert summary["effect_rows"] == config.jobs - config.jobs // config.poison_every
    assert summary["stats"]["status"] == {"dead": config.jobs // config.poison_every,
                                          "succeeded": config.jobs - config.jobs // config.poison_every}
    # the faults really happened: kills that held work, a restart, dropped and doubled wake-ups
    assert len(result.kills) == config.max_kills
    assert summary["db_restart"] is not None
    assert summary["stats"]["webhooks"].get("dropped", 0) > 0
