"""Shared fixtures: one throwaway cluster per test session, a fresh migrated database per test.

The session starts its own PostgreSQL 15 with pg_cron preloaded, creates the Supabase roles,
and runs `supabase db push` twice: into `postgres` (where pg_cron lives, used by the tests
marked `cron`) and into `supajobs_template`, which every other test clones (cheap isolation).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

from supajobs.migrations import db_push
from supajobs_dev.cluster import Cluster, create_cluster, destroy_cluster
from supajobs_dev.project import create_roles
from support.pgbouncer import Pgbouncer, destroy_pgbouncer, start_pgbouncer

TEMPLATE_DB = "supajobs_template"
_counter = itertools.count()


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    created = create_cluster()
    try:
        create_roles(created.url())
        with psycopg.connect(created.url(), autocommit=True) as conn:
            conn.execute(f"create database {TEMPLATE_DB}")
        db_push(created.url())
        db_push(created.url(TEMPLATE_DB))
        yield created
    finally:
        destroy_cluster(created)


@contextmanager
def scratch_database(cluster: Cluster, template: str | None = TEMPLATE_DB) -> Iterator[str]:
    """A database of its own for one test, dropped afterwards; empty when template is None."""
    name = f"t_{next(_counter)}"
    clone = f" template {template} strategy file_copy" if template else ""
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute(f"create database {name}{clone}")
    try:
        yield cluster.url(name)
    finally:
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute(f"drop database if exists {name} with (force)")


@pytest.fixture
def db_url(cluster: Cluster) -> Iterator[str]:
    """A fresh database holding exactly what the migrations create (no pg_cron)."""
    with scratch_database(cluster) as url:
        yield url


@pytest.fixture
def empty_db_url(cluster: Cluster) -> Iterator[str]:
    """A fresh database with nothing in it (what a first `db push` meets)."""
    with scratch_database(cluster, template=None) as url:
        yield url


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """An autocommit superuser connection to the per-test database."""
    with psycopg.connect(db_url, autocommit=True) as connection:
        yield connection


@pytest.fixture
def cron_db_url(cluster: Cluster) -> str:
    """The `postgres` database, where pg_cron runs. Tests using it must clean up after themselves."""
    return cluster.url()


@pytest.fixture
def svc(db_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """An autocommit connection acting as service_role (how the SDK and the worker connect)."""
    from support.rpc import service_connection

    with service_connection(db_url) as connection:
        yield connection


@pytest.fixture(scope="session")
def pgbouncer(cluster: Cluster) -> Iterator[Pgbouncer]:
    """pgbouncer in transaction mode in front of the cluster (Supabase's port 6543 alike)."""
    bouncer = start_pgbouncer(cluster)
    try:
        yield bouncer
    finally:
        destroy_pgbouncer(bouncer)


@pytest.fixture
def pooled_db_url(db_url: str, pgbouncer: Pgbouncer) -> str:
    """The per-test database of db_url, reached through pgbouncer in transaction mode."""
    return pgbouncer.pooled(db_url)
