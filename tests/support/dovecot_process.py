"""Starting, watching and stopping the Dovecot master process of a test server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm") or "/usr/bin/doveadm"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def log_tail(log: Path, lines: int = 30) -> str:
    if not log.exists():
        return ""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def start(conf: Path, host: str, port: int, deadline_s: float = 15.0) -> subprocess.Popen[bytes]:
    """Run `dovecot -F` (foreground, so this process owns it) until it greets on `port`."""
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    log = conf.parent / "dovecot.log"
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited ({process.returncode}):\n{log_tail(log)}")
        try:
            with socket.create_connection((host, port), timeout=1) as sock:
                if sock.recv(64).startswith(b"* OK"):
                    return process
        except OSError:
            time.sleep(0.05)
    stop(process)
    raise RuntimeError(f"dovecot did not accept connections:\n{log_tail(log)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM: the master stops its children itself (takes about a second)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def doveadm(conf: Path, *args: str) -> None:
    subprocess.run([DOVEADM, "-c", str(conf), *args], check=True, capture_output=True)
