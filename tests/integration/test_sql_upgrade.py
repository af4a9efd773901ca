"""A deployment that applied the old 43-migration chain moves onto the baseline.

The old chain comes from git history (PRE_BASELINE_COMMIT, main before the squash) and is
pushed with `supabase db push` as it was. Its catalog equals a fresh baseline install except
for the intended change (install_standard_schedules moved from jobs to receipts). The
procedure of docs/sql-changes.md -- `supabase migration repair` (old versions reverted, the
baseline applied) and supabase/upgrade/from_pre_baseline.sql -- then leaves `db push` with
nothing to apply and the catalog equal to a fresh baseline install.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from supajobs_dev.cluster import Cluster
from support.sql_baseline import BASELINE_VERSIONS, later_migrations
from support.sql_catalog import Snapshot, compare, differing_objects, report, snapshot_url
from support.sql_project import (
    PRE_BASELINE_COMMIT,
    UPGRADE_SQL,
    apply_files,
    baseline_project,
    git_has_commit,
    migration_repair,
    old_project,
    old_versions,
    push,
    scratch_dir,
    throwaway_cluster,
)

pytestmark = pytest.mark.skipif(
    not git_has_commit(),
    reason=f"git history with commit {PRE_BASELINE_COMMIT[:7]} (the pre-baseline chain) "
           "is not available in this checkout")

# What the squash changed on purpose (docs/sql-changes.md): nothing else may differ.
INTENDED = ["function jobs.install_standard_schedules()",
            "function receipts.install_standard_schedules()"]


@pytest.fixture(scope="module")
def fresh_baseline() -> Snapshot:
    """A fresh install of the baseline migrations only, with pg_cron."""
    with scratch_dir() as work, throwaway_cluster() as cluster:
        push(cluster.url(), baseline_project(Path(work)))
        return snapshot_url(cluster.url())


@pytest.fixture(scope="module")
def fresh_install() -> Snapshot:
    """A fresh install of all of this repository's migrations, with pg_cron."""
    with throwaway_cluster() as cluster:
        push(cluster.url())
        return snapshot_url(cluster.url())


@pytest.fixture(scope="module")
def old_chain() -> Iterator[tuple[Cluster, Path, Snapshot]]:
    """A cluster whose `postgres` database applied the old chain, as deployments did; the
    old project it was pushed from; its snapshot before any upgrade."""
    with scratch_dir() as work, throwaway_cluster() as cluster:
        project = old_project(Path(work))
        assert len(old_versions(project)) == 43
        push(cluster.url(), project)
        before = snapshot_url(cluster.url())
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            # What a deployment did with it: the standard schedules installed (and synced).
            conn.execute("select jobs.install_standard_schedules()")
        yield cluster, project, before


def applied_versions(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select version from supabase_migrations.schema_migrations order by version").fetchall()
    return [row[0] for row in rows]


def test_old_chain_differs_from_the_baseline_only_as_intended(
        old_chain: tuple[Cluster, Path, Snapshot], fresh_baseline: Snapshot) -> None:
    _, _, before = old_chain
    differences = compare(before, fresh_baseline, "old chain", "baseline")
    assert differing_objects(differences) == INTENDED, report(differences)


def test_repair_and_upgrade_script_reach_the_baseline(
        old_chain: tuple[Cluster, Path, Snapshot], fresh_install: Snapshot) -> None:
    cluster, project, _ = old_chain
    url = cluster.url()
    assert applied_versions(url) == old_versions(project)

    migration_repair(url, "reverted", old_versions(project))
    migration_repair(url, "applied", BASELINE_VERSIONS)
    apply_files(url, [UPGRADE_SQL])
    apply_files(url, [UPGRADE_SQL])  # idempotent

    assert applied_versions(url) == list(BASELINE_VERSIONS)
    pushed = push(url)  # the migrations after the baseline, and nothing else
    assert all(f"Applying migration {m.name}" in pushed for m in later_migrations()), pushed
    assert "Remote database is up to date" in push(url)
    with psycopg.connect(url, autocommit=True) as conn:
        # The schedules the old function installed are still there, and cron.job with them;
        # the moved function resets them as before.
        synced = "select count(*) from cron.job where jobname like 'supajobs:%'"
        assert conn.execute(synced).fetchone() == (5,)
        names = conn.execute("select name from receipts.install_standard_schedules()").fetchall()
        assert len(names) == 5 and conn.execute(synced).fetchone() == (5,)
        # Without them (the fresh install has none), the catalogs are equal.
        conn.execute("select jobs.delete_schedule(name) from jobs.job_schedules")
    differences = compare(snapshot_url(url), fresh_install, "upgraded", "fresh install")
    assert differences == [], report(differences)


def test_upgrade_script_changes_nothing_on_a_fresh_install(db_url: str) -> None:
    before = snapshot_url(db_url)
    apply_files(db_url, [UPGRADE_SQL])
    differences = compare(before, snapshot_url(db_url), "fresh", "after the upgrade script")
    assert differences == [], report(differences)
