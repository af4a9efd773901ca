"""A tiny OAuth2 token-info endpoint for Dovecot's oauth2 passdb.

Dovecot validates an XOAUTH2 bearer token by GETting `<tokeninfo_url><token>`; a JSON
object whose `email` equals the login name authenticates it, an error status refuses.
This stands in for Google's token-info service, so the XOAUTH2 exchange the client
performs against Dovecot is the real one.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class TokenInfoServer:
    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}  # token -> user
        tokens = self.tokens

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                user = tokens.get(query.get("access_token", [""])[0])
                if user is None:
                    self._reply(401, {"error": "invalid_token"})
                else:
                    self._reply(200, {"email": user, "active": True, "scope": "mail"})

            def _reply(self, status: int, body: dict[str, object]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output clean

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/tokeninfo?access_token="

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()
