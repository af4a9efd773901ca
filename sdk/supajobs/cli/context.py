"""What every command gets: output settings and a lazily built client."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

from supajobs.cli.output import emit
from supajobs.sync_client import JobsClient


@dataclass
class Context:
    as_json: bool
    db_url: str | None = None
    supabase_url: str | None = None
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _client: JobsClient | None = None

    def client(self) -> JobsClient:
        if self._client is None:
            env = dict(os.environ)
            if self.db_url:  # an explicit --db-url wins over the environment
                env = {"SUPAJOBS_DATABASE_URL": self.db_url,
                       "SUPAJOBS_DB_ROLE": env.get("SUPAJOBS_DB_ROLE", "")}
            elif self.supabase_url:
                env["SUPABASE_URL"] = self.supabase_url
            self._client = JobsClient.from_env(env)
        return self._client

    def emit(self, data: Any, columns: list[str], zone: str | None = None) -> None:
        emit(self.out, data, columns, as_json=self.as_json, zone=zone)

    def note(self, text: str) -> None:
        """Human-only messages (progress, confirmations) go to stderr in --json mode."""
        print(text, file=self.err if self.as_json else self.out)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
