"""Dispatch: due work sends one signed webhook per transaction through (stand-in) pg_net."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from supajobs.signing import verify
from support.rpc import one, rpc

STANDIN = Path(__file__).resolve().parents[2] / "supabase" / "dev" / "pg_net_standin.sql"
SECRET = "s3cret-s3cret-s3cret"


@pytest.fixture
def wired(conn: psycopg.Connection[Any], svc: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    conn.execute(STANDIN.read_text())
    one(svc, "configure_dispatch", worker_url="http://127.0.0.1:9/webhook", webhook_secret=SECRET)
    return svc


def queued(conn: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    return conn.execute("select url, headers, convert_from(body, 'UTF8'), timeout_milliseconds"
                        " from net.http_request_queue order by id").fetchall()


def test_a_batch_of_10000_is_one_signed_wake(wired: psycopg.Connection[Any],
                                             conn: psycopg.Connection[Any]) -> None:
    rpc(wired, "enqueue_batch", items=[{"job_type": "file_organize"} for _ in range(10_000)])
    requests = queued(conn)
    assert len(requests) == 1
    url, headers, body, timeout = requests[0]
    assert url == "http://127.0.0.1:9/webhook" and timeout == 2000
    assert json.loads(body)["due"] == 10_000
    verify(SECRET, headers, body.encode(), now=time.time())  # raises when the signature is bad


def test_one_wake_per_transaction_and_none_for_future_work(wired: psycopg.Connection[Any],
                                                          conn: psycopg.Connection[Any]) -> None:
    with wired.transaction():
        one(wired, "enqueue", job_type="file_organize")
        one(wired, "enqueue", job_type="file_organize")
    one(wired, "enqueue", job_type="file_organize", run_at="2099-01-01T00:00:00Z")
    assert len(queued(conn)) == 1
    one(wired, "enqueue", job_type="file_organize")
    assert len(queued(conn)) == 2


def test_rolled_back_enqueue_sends_nothing(wired: psycopg.Connection[Any],
                                           conn: psycopg.Connection[Any]) -> None:
    wired.autocommit = False
    one(wired, "enqueue", job_type="file_organize")
    wired.rollback()
    wired.autocommit = True
    assert queued(conn) == []


def test_sweep_wakes_while_work_is_due(wired: psycopg.Connection[Any],
                                       conn: psycopg.Connection[Any]) -> None:
    one(wired, "enqueue", job_type="file_organize")
    conn.execute("delete from net.http_request_queue")  # the wake-up was lost
    assert one(wired, "sweep")["sweep"]["due"] == 1
    assert len(queued(conn)) == 1


def test_without_a_url_only_notify(svc: psycopg.Connection[Any], conn: psycopg.Connection[Any]) -> None:
    conn.execute(STANDIN.read_text())
    conn.execute("listen supajobs_jobs")
    one(svc, "enqueue", job_type="file_organize")
    assert queued(conn) == []
    notes = list(conn.notifies(timeout=2, stop_after=1))
    assert [n.channel for n in notes] == ["supajobs_jobs"]


def test_dispatch_status_never_shows_the_secret(wired: psycopg.Connection[Any]) -> None:
    status = one(wired, "dispatch_status")["dispatch_status"]
    assert status == {"worker_url": "http://127.0.0.1:9/webhook", "secret_configured": True,
                      "webhook_timeout_ms": 2000, "pg_net": "stand-in"}
    assert SECRET not in json.dumps(status)


@pytest.mark.parametrize(("args", "fragment"), [
    ({"worker_url": "ftp://x", "webhook_secret": SECRET}, "must be an http(s) URL"),
    ({"worker_url": "http://x/hook", "webhook_secret": "short"}, "at least 16 characters"),
    ({"worker_url": "http://x/hook", "webhook_secret": SECRET, "webhook_timeout_ms": 5}, "100 to 60000"),
])
def test_configure_dispatch_rejects_bad_values(svc: psycopg.Connection[Any], args: dict[str, Any],
                                               fragment: str) -> None:
    with pytest.raises(psycopg.Error) as err:
        rpc(svc, "configure_dispatch", **args)
    assert err.value.sqlstate == "SJ105" and fragment in str(err.value)


def test_workers_report_themselves(svc: psycopg.Connection[Any]) -> None:
    saved = one(svc, "report_worker", worker_id="w1", stats={
        "mode": "listen", "in_flight": 3, "capacity": 8, "rss_bytes": 50_000_000,
        "cpu_percent": 12.5, "memory_percent": 0.4, "accepting": True})
    assert (saved["mode"], saved["in_flight"], saved["rss_bytes"]) == ("listen", 3, 50_000_000)
    assert [w["worker_id"] for w in rpc(svc, "list_workers")] == ["w1"]
    with pytest.raises(psycopg.Error) as err:
        rpc(svc, "report_worker", worker_id="", stats={})
    assert err.value.sqlstate == "SJ105"


def test_wakes_are_unique_and_dispatch_can_be_switched_off(wired: psycopg.Connection[Any],
                                                           conn: psycopg.Connection[Any]) -> None:
    one(wired, "enqueue", job_type="file_organize")
    one(wired, "enqueue", job_type="file_organize")
    bodies = [json.loads(r[2]) for r in queued(conn)]
    assert len(bodies) == 2 and bodies[0]["nonce"] != bodies[1]["nonce"]
    status = one(wired, "configure_dispatch", worker_url=None, webhook_secret=None)
    assert status["configure_dispatch"]["worker_url"] is None
    one(wired, "enqueue", job_type="file_organize")
    assert len(queued(conn)) == 2


def test_vault_secrets_alone_send_the_wake(svc: psycopg.Connection[Any],
                                           conn: psycopg.Connection[Any]) -> None:
    """No worker_url in jobs.settings, but Supabase Vault holds one: still woken, signed."""
    conn.execute(STANDIN.read_text())
    conn.execute("create schema vault; create table vault.decrypted_secrets"
                 " (name text, decrypted_secret text)")
    conn.execute("insert into vault.decrypted_secrets values"
                 " ('supajobs_worker_url', 'http://127.0.0.1:9/vault'),"
                 " ('supajobs_webhook_secret', %s)", (SECRET,))
    conn.execute("grant usage on schema vault to service_role;"
                 " grant select on vault.decrypted_secrets to service_role")
    one(svc, "enqueue", job_type="file_organize")
    [(url, headers, body, _)] = queued(conn)
    assert url == "http://127.0.0.1:9/vault"
    verify(SECRET, headers, body.encode(), now=time.time())
