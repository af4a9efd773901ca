"""The sweeper loop: `jobs.sweep()` every second, as pg_cron does in production.

It reconnects after the database goes away (a restart) and never runs past its stop event.
"""

from __future__ import annotations

import threading
from collections import Counter

import psycopg


class Sweeper:
    def __init__(self, db_url: str, every: float) -> None:
        self.db_url, self.every = db_url, every
        self.stats: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sweeper", daemon=True)

    def start(self) -> Sweeper:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)

    def _run(self) -> None:
        conn: psycopg.Connection[tuple[object, ...]] | None = None
        while not self._stop.wait(self.every):
            try:
                if conn is None or conn.closed:
                    conn = psycopg.connect(self.db_url, autocommit=True, connect_timeout=2)
                conn.execute("select jobs.sweep()")
                self.stats["ok"] += 1
            except psycopg.Error:
                self.stats["failed"] += 1
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()
