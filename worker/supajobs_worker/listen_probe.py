"""Does LISTEN work on this URL? A transaction-mode pooler (Supabase's port 6543, pgbouncer
pool_mode=transaction) accepts LISTEN and then never delivers a notification: the session
that listened goes back to the pool when the statement ends. Listen mode would then only
poll, silently; it checks at start instead and refuses with what to do.

The check is the property itself, end to end: listen on a fresh channel, notify it from a
second connection, and wait for it on the first. Comparing backend pids would also flag a
session-mode pooler, where LISTEN works fine.
"""

from __future__ import annotations

import uuid

import psycopg

from supajobs.errors import ConfigurationError

PROBE_SECONDS = 3.0  # a direct connection hears its notification within milliseconds

POOLER_HELP = (
    "listen mode: a notification sent on {source} never reached the listening connection, "
    "so it goes through a transaction-mode pooler (Supabase's port 6543, pgbouncer "
    "pool_mode=transaction), where LISTEN cannot work. Set SUPAJOBS_LISTEN_URL (or "
    "--listen-url) to a direct connection (Supabase: db.<project-ref>.supabase.co port 5432) "
    "or a session-mode pooler (Supabase's pooler on port 5432) for LISTEN only - the claims "
    "may stay on the transaction pooler - or run the webhook worker (supajobs-worker serve), "
    "which needs no LISTEN.")


async def check_listen_works(dsn: str, source: str, *, wait: float = PROBE_SECONDS) -> None:
    """Raises ConfigurationError naming the fix when notifications do not arrive on dsn;
    source names the setting dsn came from (the URL itself may hold a password)."""
    channel = f"supajobs_probe_{uuid.uuid4().hex}"  # hex only: safe as an identifier
    async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as listener:
        await listener.execute(f"listen {channel}")
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as sender:
            await sender.execute("select pg_notify(%s, 'probe')", [channel])
        heard = [n async for n in listener.notifies(timeout=wait, stop_after=1)
                 if n.channel == channel]
        await listener.execute(f"unlisten {channel}")
    if not heard:
        raise ConfigurationError(POOLER_HELP.format(source=source))
