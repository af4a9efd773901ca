"""The short chaos run (part of `make test`): 600 jobs, 3 webhook workers, 3 SIGKILLs, one
PostgreSQL restart, 20 % of webhooks dropped and 10 % duplicated. Nothing lost, nothing doubled."""

from __future__ import annotations

from pathlib import Path

from chaos.config import ChaosConfig
from chaos.driver import ChaosRun
from chaos.report import write
from supajobs_dev.cluster import Cluster
from support.pgbouncer import Pgbouncer


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


# Through pgbouncer (transaction mode): half the jobs, pgbouncer restarted instead of PostgreSQL.
POOLED = ChaosConfig(jobs=300, max_kills=2, restart_db_after=None, restart_pooler_after=5.0,
                     deadline=60.0)


def test_short_chaos_run_through_pgbouncer_with_its_restart(cluster: Cluster, db_url: str,
                                                            pgbouncer: Pgbouncer,
                                                            tmp_path: Path) -> None:
    result = ChaosRun(cluster, db_url, tmp_path, POOLED, pooler=pgbouncer).run()
    summary = result.summary(db_url)
    print("\n" + result.table(summary))
    write(summary, "short-pgbouncer.json")
    assert result.finished, f"not finished in {POOLED.deadline} s: {summary['stats']}"
    assert result.problems == {}, result.problems  # nothing lost, nothing doubled
    dead = POOLED.jobs // POOLED.poison_every
    assert summary["effect_rows"] == POOLED.jobs - dead
    assert summary["stats"]["status"] == {"dead": dead, "succeeded": POOLED.jobs - dead}
    assert len(result.kills) == POOLED.max_kills
    assert summary["pooler_restart"] is not None and summary["db_restart"] is None
    # every worker that lived through pgbouncer's restart (and was not killed later) came
    # back through it and completed jobs again
    killed = {k["worker_id"] for k in result.kills}
    after = summary["pooler_restart"]["worker_first_completion_after_s"]
    survivors = {w: s for w, s in after.items() if w not in killed}
    assert survivors and all(s is not None for s in survivors.values()), after
