"""Apply the packaged migrations exactly as users do: `supabase db push --db-url …`.

The push is checked afterwards: every migration the package ships must be recorded in
`supabase_migrations.schema_migrations`, or the command fails instead of saying it worked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from supajobs.errors import ConfigurationError, SupajobsError
from supajobs.project_files import migration_versions, stage_workdir

CLI_HINT = ("install the Supabase CLI (`npm install -g supabase`, or see "
            "https://supabase.com/docs/guides/local-development/cli/getting-started) "
            "or point SUPABASE_BIN at it")
TLS_HINT = ("the server does not speak TLS: add `?sslmode=disable` to the URL for a local "
            "PostgreSQL (never for a remote one)")
RECORDED = "select version from supabase_migrations.schema_migrations"


def supabase_bin() -> str:
    configured = os.environ.get("SUPABASE_BIN")
    if configured:
        if not Path(configured).is_file():
            raise ConfigurationError(f"SUPABASE_BIN={configured}: no such file", hint=CLI_HINT)
        return configured
    found = shutil.which("supabase")
    if found is None:
        raise ConfigurationError("the Supabase CLI (`supabase`) is not on PATH; nothing was "
                                 "applied", hint=CLI_HINT)
    return found


def recorded_versions(url: str) -> set[str]:
    """Migration versions the database has recorded (empty when it has none)."""
    with psycopg.connect(url, connect_timeout=10) as conn:
        if conn.execute("select to_regclass('supabase_migrations.schema_migrations')"
                        ).fetchone() == (None,):
            return set()
        return {str(row[0]) for row in conn.execute(RECORDED)}


def db_push(url: str) -> str:
    """Run `supabase db push` against url with the packaged migrations; return its output.

    Raises ConfigurationError (no CLI, no migrations) or SupajobsError (the push failed, or
    reported success without recording every migration), each saying what was applied."""
    cli = supabase_bin()
    expected = migration_versions()
    with tempfile.TemporaryDirectory(prefix="supajobs-push-") as scratch:
        workdir = stage_workdir(Path(scratch))
        result = subprocess.run(
            [cli, "db", "push", "--db-url", url, "--workdir", str(workdir), "--yes"],
            capture_output=True, text=True, timeout=300, cwd=scratch)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        lowered = output.lower()
        tls = "sslmode" not in url and ("tls" in lowered or "ssl" in lowered)
        raise SupajobsError(f"supabase db push failed:\n{output.strip()}",
                            hint=TLS_HINT if tls else None)
    missing = sorted(set(expected) - recorded_versions(url))
    if missing:
        raise SupajobsError(
            f"supabase db push exited 0 but {len(missing)} of {len(expected)} migrations are "
            f"not recorded in the database: {', '.join(missing)}\n{output.strip()}")
    return output
