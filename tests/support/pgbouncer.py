"""A real pgbouncer in transaction mode in front of the throwaway cluster (Supabase's port
6543 works the same way): every transaction may run on another server connection.

pgbouncer refuses to run as root, so under root (CI) it runs as `postgres`, like the cluster.
`restart()` is a real process restart on the same port: clients lose their connections.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from supajobs_dev.cluster import Cluster, free_port

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
# Login roles of the test cluster (trust auth there; pgbouncer still wants them listed).
USERS = ("postgres", "authenticator")


def _config(cluster: Cluster, port: int, base: Path, mode: str) -> str:
    return "\n".join([
        "[databases]",
        f"* = host=127.0.0.1 port={cluster.port}",  # any database name, as Supavisor does
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        f"listen_port = {port}",
        "unix_socket_dir =",
        "auth_type = trust",
        f"auth_file = {base / 'users.txt'}",
        "admin_users = postgres",
        f"pool_mode = {mode}",
        "max_client_conn = 1000",
        "default_pool_size = 20",
        "server_lifetime = 3600",
        f"logfile = {base / 'pgbouncer.log'}",
        f"pidfile = {base / 'pgbouncer.pid'}",
        ""])


@dataclass
class Pgbouncer:
    cluster: Cluster
    base: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0

    def url(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}?sslmode=disable"

    def pooled(self, direct_url: str) -> str:
        """The same database and user as direct_url, through pgbouncer."""
        info = psycopg.conninfo.conninfo_to_dict(direct_url)
        return self.url(str(info["dbname"]), str(info.get("user") or "postgres"))

    def clients(self) -> set[tuple[str, str]]:
        """(user, database) of the clients connected now (SHOW CLIENTS, the admin console)."""
        with psycopg.connect(self.url("pgbouncer"), autocommit=True) as admin:
            cur = admin.execute("show clients")  # the console speaks the simple protocol only
            names = [c.name for c in cur.description or ()]
            return {(row[names.index("user")], row[names.index("database")])
                    for row in cur.fetchall()}

    def start(self, timeout: float = 15.0) -> None:
        cmd = [PGBOUNCER, str(self.base / "pgbouncer.ini")]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pgbouncer exited with {self.process.returncode}:\n"
                                   f"{self.log_tail()}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"pgbouncer not listening on {self.port} in {timeout} s")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """SIGTERM: pgbouncer's immediate shutdown (clients are cut off mid-transaction)."""
        if self.process is not None and self.process.poll() is None:
            # the signal goes to pgbouncer itself: runuser, which would forward it, then
            # sleeps 2 s before it exits
            pidfile = self.base / "pgbouncer.pid"
            if pidfile.exists():
                os.kill(int(pidfile.read_text().split()[0]), sig)
            else:
                self.process.send_signal(sig)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def restart(self) -> float:
        """Stop the process and start a new one on the same port; returns the seconds taken."""
        t0 = time.monotonic()
        self.stop()
        self.start()
        self.restarts += 1
        return time.monotonic() - t0

    def log_tail(self, lines: int = 30) -> str:
        path = self.base / "pgbouncer.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def dbname(url: str) -> str:
    return str(psycopg.conninfo.conninfo_to_dict(url)["dbname"])


def start_pgbouncer(cluster: Cluster, mode: str = "transaction") -> Pgbouncer:
    """mode: pgbouncer's pool_mode (session: where LISTEN works, like Supabase's 5432 pooler)."""
    base = Path(tempfile.mkdtemp(prefix="supajobs-pgbouncer-"))
    bouncer = Pgbouncer(cluster, base)
    (base / "users.txt").write_text("".join(f'"{user}" ""\n' for user in USERS))
    (base / "pgbouncer.ini").write_text(_config(cluster, bouncer.port, base, mode))
    if os.geteuid() == 0:
        for path in (base, base / "users.txt", base / "pgbouncer.ini"):
            shutil.chown(path, "postgres", "postgres")
    bouncer.start()
    return bouncer


def destroy_pgbouncer(bouncer: Pgbouncer) -> None:
    try:
        bouncer.stop()
    finally:
        shutil.rmtree(bouncer.base, ignore_errors=True)
