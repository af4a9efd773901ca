"""A small round-robin HTTP load balancer in front of the webhook workers (loopback only).

The dispatch has one worker URL, as behind a real load balancer. A backend that refuses the
connection (killed, still starting) is skipped for the next one, as a balancer with passive
health checks does; when none answers, the relay gets a 502 and the sweeper wakes again later.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

FORWARDED_HEADERS = ("content-type", "x-supajobs-signature", "x-supajobs-timestamp")


class Balancer:
    def __init__(self, backend_ports: list[int]) -> None:
        self.ports = list(backend_ports)
        self.stats: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._next = itertools.cycle(range(len(self.ports)))
        self._client = httpx.Client(timeout=httpx.Timeout(5.0, connect=0.5))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="balancer",
                                        kwargs={"poll_interval": 0.2}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/webhook"

    def start(self) -> Balancer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._client.close()

    def _count(self, key: str) -> None:
        with self._lock:
            self.stats[key] += 1

    def forward(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        with self._lock:
            first = next(self._next)
        for offset in range(len(self.ports)):
            port = self.ports[(first + offset) % len(self.ports)]
            try:
                answer = self._client.post(f"http://127.0.0.1:{port}/webhook", content=body,
                                           headers=headers)
            except httpx.ConnectError:
                self._count("backend_refused")
                continue
            except httpx.TransportError:
                self._count("backend_error")
                return 502, b'{"error": "backend_error"}'
            self._count(f"status_{answer.status_code}")
            return answer.status_code, answer.content
        self._count("no_backend")
        return 502, b'{"error": "no_backend"}'

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        balancer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(min(length, 1 << 20))
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in FORWARDED_HEADERS}
                status, content = balancer.forward(body, headers)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, format: str, *args: object) -> None:
                return  # quiet: the stats counter is the record

        return Handler
