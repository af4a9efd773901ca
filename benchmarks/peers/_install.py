"""Each peer's own schema, installed the way its documentation says, plus the pg_net stand-in
that carries supajobs' webhooks to the relay on a machine without pg_net."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from _peer_clients import Procrastinate

ROOT = Path(__file__).resolve().parents[2]
STANDIN = ROOT / "supabase" / "dev" / "pg_net_standin.sql"


def install_pgqueuer(url: str) -> None:
    subprocess.run([sys.executable, "-m", "pgqueuer", "--pg-dsn", url, "install"], check=True,
                   capture_output=True, text=True)


async def install_procrastinate(url: str) -> None:
    client = Procrastinate(url)
    async with client.module.app.open_async() as app:
        await app.schema_manager.apply_schema_async()


def install_standin(url: str) -> None:
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-f", str(STANDIN)],
                   check=True, capture_output=True, text=True)


async def install_all(url: str) -> None:
    install_pgqueuer(url)
    await install_procrastinate(url)
    install_standin(url)
