"""Build databases for the SQL tests: from the schema files directly, from a migrations chain
(`supabase db push` of this project or of the old 43-migration chain in git history), and run
the CLI's history repair.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

import psycopg

from supajobs.migrations import db_push, supabase_bin
from supajobs_dev.cluster import Cluster, create_cluster, destroy_cluster
from supajobs_dev.project import create_roles
from support.sql_baseline import BASELINE_VERSIONS, ROOT, SUPABASE, data_paths, schema_paths

# main before the squash: the 43 migrations that deployments may have applied.
PRE_BASELINE_COMMIT = "51f338cd57776c0bfdaa3b1b494fe1753c9398a6"
UPGRADE_SQL = SUPABASE / "upgrade" / "from_pre_baseline.sql"


def apply_files(url: str, files: Sequence[Path]) -> None:
    """Run SQL files in order with psql, stopping at the first error (which names the file)."""
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--no-psqlrc", url]
    for path in files:
        cmd += ["-f", str(path)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"psql failed:\n{result.stdout}{result.stderr}")


def declared_files() -> list[Path]:
    """Database B: the schema files in config order, then the data files."""
    return [*schema_paths(), *data_paths()]


def mutated_copy(workdir: Path, replacements: dict[Path, tuple[str, str]]) -> list[Path]:
    """declared_files() with one text replaced in some of them (copies under workdir).

    Each replacement must match exactly once, so a mutation test cannot pass vacuously.
    """
    files = []
    for path in declared_files():
        if path in replacements:
            old, new = replacements[path]
            text = path.read_text()
            if text.count(old) != 1:
                raise AssertionError(f"{old!r} occurs {text.count(old)} times in {path}")
            copy = workdir / path.relative_to(SUPABASE)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(text.replace(old, new))
            files.append(copy)
        else:
            files.append(path)
    return files


def create_database(cluster: Cluster, name: str) -> str:
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    return cluster.url(name)


def drop_database(cluster: Cluster, name: str) -> None:
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute(f'drop database if exists "{name}" with (force)')


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A cluster of its own (pg_cron in `postgres`), with the Supabase roles."""
    cluster = create_cluster()
    try:
        create_roles(cluster.url())
        yield cluster
    finally:
        destroy_cluster(cluster)


def git_has_commit(commit: str = PRE_BASELINE_COMMIT) -> bool:
    if shutil.which("git") is None:
        return False
    result = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{commit}^{{commit}}"],
                            capture_output=True)
    return result.returncode == 0


def old_project(workdir: Path, commit: str = PRE_BASELINE_COMMIT) -> Path:
    """The Supabase project (config.toml, migrations) of `commit`, extracted under workdir."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit,
         "supabase/config.toml", "supabase/migrations"],
        capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(workdir, filter="data")
    return workdir


def baseline_project(workdir: Path) -> Path:
    """This project with only the baseline migrations: what deployments ran before the later
    migrations, for testing those on a database that has data."""
    shutil.copytree(SUPABASE, workdir / "supabase", symlinks=True)
    for path in (workdir / "supabase" / "migrations").glob("*.sql"):
        if path.name.split("_", 1)[0] not in BASELINE_VERSIONS:
            path.unlink()
    return workdir


def old_versions(project: Path) -> list[str]:
    return sorted(p.name.split("_", 1)[0] for p in (project / "supabase" / "migrations").glob("*.sql"))


def push(url: str, workdir: Path = ROOT) -> str:
    """`supabase db push` of the project at workdir (this repository unless told)."""
    if workdir == ROOT:
        return db_push(url)
    result = subprocess.run(
        [supabase_bin(), "db", "push", "--db-url", url, "--workdir", str(workdir), "--yes"],
        capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise RuntimeError(f"supabase db push failed:\n{output}")
    return output


def migration_repair(url: str, status: str, versions: Sequence[str]) -> str:
    """`supabase migration repair --status <status> <versions...>` against url."""
    result = subprocess.run(
        [supabase_bin(), "migration", "repair", "--status", status, *versions,
         "--db-url", url, "--workdir", str(ROOT), "--yes"],
        capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise RuntimeError(f"supabase migration repair failed:\n{output}")
    return output


def scratch_dir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="supajobs-sql-")
