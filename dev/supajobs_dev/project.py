"""The checkout's Supabase project as the dev tools use it: roles and the pg_net stand-in.

These files are local-only (`supabase/dev/`): Supabase has the roles and the real pg_net.
The dev package is only ever used from a checkout, so it finds them next to itself.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
DEV_SQL = CHECKOUT / "supabase" / "dev"
ROLES_SQL = DEV_SQL / "roles.sql"
PG_NET_STANDIN_SQL = DEV_SQL / "pg_net_standin.sql"
SUPABASE_CLI = CHECKOUT / ".tools" / "node_modules" / ".bin" / "supabase"


def create_roles(url: str) -> None:
    """Create anon, authenticated, service_role and authenticator, as Supabase has them."""
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-f", str(ROLES_SQL)],
                   check=True, capture_output=True)


def use_checkout_cli() -> None:
    """Point the SDK's `db push` at the checkout's pinned Supabase CLI (`make install`)."""
    if SUPABASE_CLI.exists():
        os.environ.setdefault("SUPABASE_BIN", str(SUPABASE_CLI))
