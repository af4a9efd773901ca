"""Helpers for the pg_net stand-in and relay tests (no tests here): install the stand-in,
run the relay in the test's event loop, and a tiny real HTTP server that records requests."""

from __future__ import annotations

import asyncio
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from supajobs_dev.relay import RelayConfig, run_relay

STANDIN_SQL = Path(__file__).resolve().parents[2] / "supabase" / "dev" / "pg_net_standin.sql"
# A long fallback poll: anything faster than this was woken by NOTIFY.
QUIET = RelayConfig(poll_interval_seconds=30.0)


def install_standin(url: str) -> None:
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-f", str(STANDIN_SQL)],
                   check=True, capture_output=True, text=True)


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


class HttpSink:
    """A real HTTP server on a free port. `?status=503` picks the status; `/slow` sleeps 2 s."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self._lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                item = Received(self.command, parts.path, parse_qs(parts.query),
                                dict(self.headers.items()), self.rfile.read(length))
                with sink._lock:
                    sink.received.append(item)
                if parts.path == "/slow":
                    time.sleep(2.0)
                status = int(item.query.get("status", ["200"])[0])
                payload = b'{"ok": true}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Sink", "yes")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_GET = _handle  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 256  # the default backlog of 5 refuses concurrent senders

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> HttpSink:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    async def wait_for(self, predicate: Callable[[list[Received]], bool],
                       timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while not predicate(seen := self.snapshot()):
            if time.monotonic() > deadline:
                paths = sorted({r.path for r in seen})
                raise AssertionError(f"sink condition not met; {len(seen)} requests to {paths}")
            await asyncio.sleep(0.005)
        return seen


@asynccontextmanager
async def running_relay(dsn: str, config: RelayConfig = QUIET) -> AsyncIterator[asyncio.Task[None]]:
    stop = asyncio.Event()
    task = asyncio.create_task(run_relay(dsn, config, stop))
    try:
        yield task
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


async def wait_until(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.005)
