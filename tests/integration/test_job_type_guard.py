"""Job types in use cannot be deleted or renamed (a trigger on job_types, since the foreign
key from jobs.jobs was dropped), and enqueueing no longer locks the job type's row."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from support.rpc import one


def test_a_type_in_use_cannot_be_deleted_or_renamed(svc: psycopg.Connection[Any],
                                                    conn: psycopg.Connection[Any]) -> None:
    one(svc, "enqueue", job_type="email_scan")
    for statement in ("delete from jobs.job_types where name = 'email_scan'",
                      "update jobs.job_types set name = 'mail_scan' where name = 'email_scan'"):
        with pytest.raises(psycopg.errors.ForeignKeyViolation,
                           match="job type email_scan is still used by jobs") as err:
            conn.execute(statement)
        assert err.value.diag.message_hint == "purge or delete those jobs first, or keep the type"
    # as service_role too (the check must not depend on what the caller may read)
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        svc.execute("delete from jobs.job_types where name = 'email_scan'")
    assert conn.execute("select count(*) from jobs.job_types where name = 'email_scan'"
                        ).fetchone() == (1,)


def test_unused_types_can_be_renamed_and_deleted(svc: psycopg.Connection[Any],
                                                 conn: psycopg.Connection[Any]) -> None:
    one(svc, "upsert_job_type", name="word_count")
    one(svc, "enqueue", job_type="email_scan")
    conn.execute("update jobs.job_types set name = name where name = 'email_scan'")  # no rename
    conn.execute("update jobs.job_types set name = 'word_tally' where name = 'word_count'")
    conn.execute("delete from jobs.job_types where name = 'word_tally'")
    assert conn.execute("select count(*) from jobs.job_types where name in "
                        "('word_count', 'word_tally')").fetchone() == (0,)


def test_enqueue_does_not_lock_the_type_row(db_url: str, conn: psycopg.Connection[Any]) -> None:
    """A claim of a concurrency-limited type holds its row FOR UPDATE; an open enqueue of that
    type must not block it (the foreign key's FOR KEY SHARE did)."""
    from support.rpc import service_connection

    with service_connection(db_url) as producer, producer.transaction():
        one(producer, "enqueue", job_type="email_scan", payload={"n": 1})
        conn.execute("set lock_timeout = '1s'")
        locked = conn.execute("select name from jobs.job_types where name = 'email_scan'"
                              " for update nowait").fetchall()
        assert locked == [("email_scan",)]
