"""The loopback redirect of a first consent (RFC 8252 §7.3): a one-shot HTTP server on
127.0.0.1 with an ephemeral port that waits for the provider to send the browser back with
`code` and `state`."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

from supajobs.errors import SupajobsError

PAGE = ("<!doctype html><meta charset=utf-8><title>supajobs</title>"
        "<p>{}</p><p>You can close this window.</p>")


class ConsentError(SupajobsError):
    """The consent did not complete: denied, wrong state, timed out. Nothing was stored."""


class LoopbackRedirect:
    def __init__(self, port: int = 0) -> None:
        self.params: dict[str, str] | None = None
        self._done = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                if "code" not in query and "error" not in query:
                    self._reply(404, "Waiting for the provider's redirect.")
                    return  # a favicon or a stray request: keep waiting
                outer.params = {k: v[0] for k, v in query.items()}
                self._reply(200, "supajobs received the answer; see the terminal.")
                outer._done.set()

            def _reply(self, status: int, text: str) -> None:
                body = PAGE.format(text).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # the query holds the code: never logged

        self._http = HTTPServer(("127.0.0.1", port), Handler)  # 0: an ephemeral port
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/"

    def __enter__(self) -> LoopbackRedirect:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()

    def wait(self, timeout: float) -> dict[str, str]:
        if not self._done.wait(timeout):
            raise ConsentError(f"no answer from the browser within {timeout:.0f} s: run the "
                               "command again and open the URL it prints")
        assert self.params is not None
        return self.params
