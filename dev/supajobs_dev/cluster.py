"""Start and stop a throwaway PostgreSQL 15 cluster with pg_cron preloaded.

pg_ctl refuses to run as root, so when the tests run as root (CI does) the server
runs as the `postgres` system user via runuser; otherwise as the current user.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("SUPAJOBS_PG_BIN", "/usr/lib/postgresql/15/bin"))

SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "shared_preload_libraries": "pg_cron",
    "cron.database_name": "postgres",
    "cron.use_background_workers": "on",
    "max_worker_processes": "32",
    "max_connections": "300",
    "timezone": "UTC",
    # A throwaway cluster: durability is not what the tests check.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@dataclass
class Cluster:
    base: Path
    port: int

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    def url(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}?sslmode=disable"

    def pg_ctl(self, *args: str) -> None:
        options = " ".join(f"-c {k}={v}" for k, v in SERVER_SETTINGS.items())
        cmd = [str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir),
               "-l", str(self.base / "server.log"), "-w", "-t", "60",
               "-o", f"-p {self.port} -k {self.base} {options}", *args]
        subprocess.run(_as_server_user(cmd), check=True, capture_output=True)

    def start(self) -> None:
        self.pg_ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("stop", "-m", mode)

    def restart(self) -> None:
        self.pg_ctl("restart", "-m", "fast")

    def log_tail(self, lines: int = 40) -> str:
        text = (self.base / "server.log").read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def create_cluster() -> Cluster:
    base = Path(tempfile.mkdtemp(prefix="supajobs-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    base.chmod(0o755)
    initdb = [str(PG_BIN / "initdb"), "-D", str(base / "data"), "-U", "postgres", "-A", "trust",
              "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
    subprocess.run(_as_server_user(initdb), check=True, capture_output=True)
    cluster = Cluster(base=base, port=free_port())
    cluster.start()
    return cluster


def destroy_cluster(cluster: Cluster) -> None:
    try:
        cluster.stop("immediate")
    finally:
        shutil.rmtree(cluster.base, ignore_errors=True)
