"""Flow control through the SDK and the CLI against a real database: declared options are
stored and compared, a key given at enqueue is kept, the limits' use is readable with
`client.rate_limits()` and `supajobs stats --limits`, and the sweep prunes old starts."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest

from supajobs import JobsClient, JobTypeOptions, RateLimit
from supajobs.cli.main import main

OPTIONS = JobTypeOptions(rate_limits=(RateLimit(starts=2, per_seconds=60),),
                         rate_key="mailbox", key_concurrency=3)


def test_declared_limits_are_stored_compared_and_enforced(db_url: str) -> None:
    with JobsClient.from_env({"SUPAJOBS_DATABASE_URL": db_url}) as client:
        first = client.job_types.ensure({"mail_fetch": OPTIONS})
        again = client.job_types.ensure({"mail_fetch": OPTIONS})
        assert [c.action for c in first + again] == ["created", "unchanged"]
        stored = next(t for t in client.job_types.list() if t.name == "mail_fetch")
        assert (stored.rate_limits, stored.rate_key, stored.key_concurrency) == (
            [{"starts": 2, "per_seconds": 60}], "mailbox", 3)
        jobs = [client.enqueue("mail_fetch", {"mailbox": "a@example.jp"}),
                client.enqueue("mail_fetch", {"mailbox": "a@example.jp"}, rate_key="override"),
                *client.enqueue_many([{"job_type": "mail_fetch", "payload": {"mailbox": "a@example.jp"}}
                                      for _ in range(2)])]
        assert [j.rate_key for j in jobs] == ["a@example.jp", "override", "a@example.jp",
                                              "a@example.jp"]
        claimed = client.worker.claim_work("w", ["mail_fetch"], 10)
        assert len(claimed) == 3  # two of a@example.jp (its window), one of override
        stats = {(s.rate_key, s.limit_kind): s for s in client.rate_limits()}
        mine = stats["a@example.jp", "starts"]
        assert (mine.capacity, mine.per_seconds, mine.used, mine.remaining) == (2, 60, 2, 0)
        assert stats["a@example.jp", "concurrency"].used == 2
        wait = client.worker.rate_limit_wait(["mail_fetch"])
        assert wait is not None and 55 < wait <= 60


def test_stats_limits_on_the_command_line(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("select jobs.upsert_job_type('mail_fetch', key_concurrency => 1)")
        conn.execute("select jobs.enqueue('mail_fetch', rate_key => 'box')")
        conn.execute("select jobs.claim('w')")
    assert main(["--db-url", db_url, "--json", "stats", "--limits"]) == 0
    rows: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    assert [(r["rate_key"], r["limit_kind"], r["used"], r["remaining"]) for r in rows] == [
        ("box", "concurrency", 1, 0)]
    assert main(["--db-url", db_url, "stats", "--limits"]) == 0
    table = capsys.readouterr().out
    assert "REMAINING" in table.upper() and "box" in table


def test_the_sweep_prunes_starts_older_than_the_longest_window(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("""select jobs.upsert_job_type('mail_fetch',
                        rate_limits => '[{"starts": 5, "per_seconds": 10}]')""")
        conn.execute("select jobs.enqueue('mail_fetch')")
        conn.execute("select jobs.claim('w')")
        conn.execute("insert into jobs.rate_starts values ('mail_fetch', '', now() - interval '11 s', 0),"
                     " ('gone_type', '', now(), 0)")
        conn.execute("select jobs.sweep()")
        left = conn.execute("select job_type, job_id <> 0 from jobs.rate_starts").fetchall()
    assert left == [("mail_fetch", True)]  # the claim's own start is within its window
