"""The migrations chain and supabase/schemas describe the same database.

Database A is what `supabase db push` makes of supabase/migrations (how deployments get it);
database B is the schema files of config.toml's schema_paths applied directly, in that
order, then the data files. Their catalog snapshots (tests/support/sql/*.sql: tables,
columns, constraints, indexes, functions with body md5, triggers, views, sequences, types,
privileges, policies, seed rows, pg_cron jobs) must be equal; a difference is reported by
the object's name. The mutation tests show that the comparison does catch one changed body,
one missing grant, one changed default, naming exactly that object.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from supajobs_dev.cluster import Cluster
from support.sql_baseline import SUPABASE, data_paths
from support.sql_catalog import Snapshot, compare, differing_objects, report, snapshot_url
from support.sql_project import (
    apply_files,
    create_database,
    declared_files,
    drop_database,
    mutated_copy,
    push,
    scratch_dir,
    throwaway_cluster,
)


@pytest.fixture(scope="module")
def with_pg_cron() -> tuple[Snapshot, Snapshot, Snapshot]:
    """A and B each in the `postgres` database of a cluster of its own, where pg_cron lives
    (cron.job rows exist only there); and B once more after its data files ran again."""
    with throwaway_cluster() as a_cluster:
        push(a_cluster.url())
        a = snapshot_url(a_cluster.url())
    with throwaway_cluster() as b_cluster:
        apply_files(b_cluster.url(), declared_files())
        b = snapshot_url(b_cluster.url())
        apply_files(b_cluster.url(), data_paths())  # the data files a second time
        b_again = snapshot_url(b_cluster.url())
    return a, b, b_again


@pytest.fixture
def build_b(cluster: Cluster) -> Iterator[Any]:
    """Build a B database (the declared files, some of them changed) in the session cluster;
    return its snapshot. Dropped afterwards."""
    names: list[str] = []

    def build(replacements: dict[Path, tuple[str, str]] | None = None) -> Snapshot:
        name = f"sql_b_{len(names)}"
        names.append(name)
        url = create_database(cluster, name)
        with scratch_dir() as work:
            apply_files(url, mutated_copy(Path(work), replacements or {}))
        return snapshot_url(url)

    yield build
    for name in names:
        drop_database(cluster, name)


def test_schema_files_give_the_migrations_database(db_url: str, build_b: Any) -> None:
    a = snapshot_url(db_url)  # a clone of the session's migrated template
    b = build_b()
    assert len(a) > 350  # the sections do see our objects
    differences = compare(a, b, "migrations", "schema files")
    assert differences == [], report(differences)


def test_with_pg_cron_the_cron_jobs_agree_too(
        with_pg_cron: tuple[Snapshot, Snapshot, Snapshot]) -> None:
    a, b, _ = with_pg_cron
    assert {"cron.job supajobs-sweeper", "cron.job supajobs-retention", "extension pg_cron"} <= set(a)
    differences = compare(a, b, "migrations", "schema files")
    assert differences == [], report(differences)


def test_data_files_applied_twice_change_nothing(
        with_pg_cron: tuple[Snapshot, Snapshot, Snapshot]) -> None:
    _, once, twice = with_pg_cron
    differences = compare(once, twice, "data once", "data twice")
    assert differences == [], report(differences)


MUTATIONS = {
    "function body": (
        SUPABASE / "schemas" / "jobs" / "20_settings.sql",
        ("select * from jobs.job_types order by name\n",
         "select * from jobs.job_types order by name desc\n"),
        "function jobs.list_job_types()",
        {"body", "body_md5"}),
    "grant": (
        SUPABASE / "schemas" / "jobs" / "90_admin.sql",
        ("grant execute on function jobs.get_job(bigint) to service_role;\n", ""),
        "function jobs.get_job(job_id bigint)",
        {"acl"}),
    "column default": (
        SUPABASE / "schemas" / "jobs" / "10_tables.sql",
        ("timeout_seconds      integer not null default 300 check",
         "timeout_seconds      integer not null default 600 check"),
        "column jobs.job_types.timeout_seconds",
        {"default"}),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_comparison_names_exactly_the_changed_object(db_url: str, build_b: Any,
                                                     mutation: str) -> None:
    path, replacement, changed, keys = MUTATIONS[mutation]
    differences = compare(snapshot_url(db_url), build_b({path: replacement}),
                          "migrations", "schema files")
    assert differing_objects(differences) == [changed], report(differences)
    rendered = report(differences)
    assert changed in rendered
    assert all(f"    {key}" in rendered for key in keys), rendered


def test_secure_schema_changes_nothing_on_a_fresh_install(db_url: str) -> None:
    """The grants the files state follow jobs._secure_schema()'s rule exactly."""
    before = snapshot_url(db_url)
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("select jobs._secure_schema()")
        conn.execute("select jobs._secure_schema('receipts')")
    differences = compare(before, snapshot_url(db_url), "fresh", "secured again")
    assert differences == [], report(differences)
