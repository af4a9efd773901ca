"""A throwaway, migrated cluster for the benchmark, under two durability profiles.

supajobs_dev.cluster starts PostgreSQL with `-o "-c fsync=off -c synchronous_commit=off
-c full_page_writes=off ..."` (tests do not need durability). Command-line options take
precedence over postgresql.auto.conf, so ALTER SYSTEM alone cannot turn durability back on
across `cluster.restart()`. The "durable" profile therefore restarts the server with the same
options minus those three, letting the ALTER SYSTEM values apply; both profiles report the
settings actually in effect (and their source) so the labels are checked, not assumed.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from _sql import load, run_script

from supajobs.migrations import db_push
from supajobs_dev import cluster as local_cluster
from supajobs_dev.cluster import Cluster, create_cluster, destroy_cluster
from supajobs_dev.project import create_roles

DURABILITY_KEYS = ("fsync", "synchronous_commit", "full_page_writes")
PROFILES = ("durable", "fast")
PROFILE_LABELS = {
    "durable": "fsync=on, synchronous_commit=on, full_page_writes=on (ALTER SYSTEM)",
    "fast": "fsync=off, synchronous_commit=off, full_page_writes=off (cluster.py test -o flags)",
}


@contextmanager
def bench_cluster() -> Iterator[Cluster]:
    """Start, migrate and prepare a cluster; destroy it afterwards whatever happens."""
    cluster = create_cluster()
    try:
        url = cluster.url()
        create_roles(url)
        db_push(url)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(load("bench_job_type"))
            run_script(conn, "bare_setup")
            run_script(conn, "durable_settings")
        yield cluster
    finally:
        destroy_cluster(cluster)


def start_with(cluster: Cluster, extra: dict[str, str] | None = None) -> None:
    """Start the stopped cluster with cluster.py's options minus the durability overrides."""
    settings = {k: v for k, v in local_cluster.SERVER_SETTINGS.items()
                if k not in DURABILITY_KEYS}
    settings.update(extra or {})
    options = " ".join(f"-c {k}={v}" for k, v in settings.items())
    cmd = [str(local_cluster.PG_BIN / "pg_ctl"), "-D", str(cluster.data_dir),
           "-l", str(cluster.base / "server.log"), "-w", "-t", "60",
           "-o", f"-p {cluster.port} -k {cluster.base} {options}", "start"]
    if os.geteuid() == 0:  # pg_ctl refuses root, as in cluster.py
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    subprocess.run(cmd, check=True, capture_output=True)


def use_profile(cluster: Cluster, profile: str) -> None:
    """(Re)start the server so that the given durability profile is in effect."""
    if profile == "fast":
        cluster.restart()  # exactly what cluster.py does: its -o flags win over ALTER SYSTEM
    elif profile == "durable":
        cluster.stop()
        start_with(cluster)
    else:
        raise ValueError(f"unknown profile {profile!r}; expected one of {', '.join(PROFILES)}")


def effective_settings(url: str) -> dict[str, dict[str, str]]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows: list[tuple[Any, ...]] = conn.execute(load("show_settings")).fetchall()
    return {str(name): {"setting": str(value), "source": str(source)}
            for name, value, source in rows}


def check_profile(profile: str, settings: dict[str, dict[str, str]]) -> None:
    """Refuse to label numbers with a profile the server is not actually running."""
    want = "on" if profile == "durable" else "off"
    wrong = [k for k in DURABILITY_KEYS if settings[k]["setting"] != want]
    if wrong:
        raise RuntimeError(f"profile {profile}: expected {want} for {wrong}, got {settings}")
