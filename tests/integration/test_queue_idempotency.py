"""Idempotency keys: the same key returns the first job, across calls and inside a batch."""

from __future__ import annotations

import threading
from typing import Any

import psycopg

from support.rpc import one, rpc, service_connection


def test_same_key_twice_returns_the_first_job(svc: psycopg.Connection[Any]) -> None:
    first = one(svc, "enqueue", job_type="receipt_process", payload={"file": "a.pdf"},
                idempotency_key="msg-1:abc")
    second = one(svc, "enqueue", job_type="receipt_process", payload={"file": "other.pdf"},
                 idempotency_key="msg-1:abc")
    assert second["id"] == first["id"] and second["payload"] == {"file": "a.pdf"}
    assert svc.execute("select count(*) from jobs.jobs").fetchone() == (1,)


def test_duplicate_keys_inside_one_batch(svc: psycopg.Connection[Any]) -> None:
    rows = rpc(svc, "enqueue_batch", items=[
        {"job_type": "file_organize", "idempotency_key": "k"},
        {"job_type": "file_organize"},
        {"job_type": "file_organize", "idempotency_key": "k"}])
    assert rows[0]["id"] == rows[2]["id"] != rows[1]["id"]
    assert svc.execute("select count(*) from jobs.jobs").fetchone() == (2,)


def test_concurrent_enqueues_with_one_key_make_one_job(db_url: str, svc: psycopg.Connection[Any]) -> None:
    barrier = threading.Barrier(6)
    seen: list[int] = []
    errors: list[str] = []

    def enqueue() -> None:
        with service_connection(db_url) as conn:
            barrier.wait()
            for _ in range(3):  # a 40001 asks the caller to retry
                try:
                    seen.append(one(conn, "enqueue", job_type="file_organize", idempotency_key="race")["id"])
                    return
                except psycopg.errors.SerializationFailure as exc:
                    errors.append(str(exc))

    threads = [threading.Thread(target=enqueue) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(seen) == 6 and len(set(seen)) == 1
    assert svc.execute("select count(*) from jobs.jobs").fetchone() == (1,)
