"""Apply the migrations exactly as users do: `supabase db push --db-url ...`.

The Supabase project (supabase/) lives in the repository; REPO points at its checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
ROLES_SQL = REPO / "supabase" / "dev" / "roles.sql"


def supabase_bin() -> str:
    configured = os.environ.get("SUPABASE_BIN")
    if configured:
        return configured
    local = REPO / ".tools" / "node_modules" / ".bin" / "supabase"
    if local.exists():
        return str(local)
    found = shutil.which("supabase")
    if found is None:
        raise RuntimeError("Supabase CLI not found: run `make install` (npm supabase into .tools/)")
    return found


def db_push(url: str) -> str:
    """Run `supabase db push` against url; return its output, raise with it on failure."""
    result = subprocess.run(
        [supabase_bin(), "db", "push", "--db-url", url, "--workdir", str(REPO), "--yes"],
        capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise RuntimeError(f"supabase db push failed:\n{output}")
    return output


def create_roles(url: str) -> None:
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-f", str(ROLES_SQL)],
                   check=True, capture_output=True)
