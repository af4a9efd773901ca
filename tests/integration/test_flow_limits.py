"""Flow control in SQL: start windows per key, several windows, key concurrency, and a
limited type beside an unlimited one (docs/flow-control.md)."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from support.rpc import one, rpc

Conn = psycopg.Connection[Any]


def limited(svc: Conn, name: str, **options: Any) -> None:
    one(svc, "upsert_job_type", name=name, **options)


def claim_ids(svc: Conn, types: list[str] | None = None, batch: int = 100,
              worker: str = "w") -> list[int]:
    return [r["id"] for r in rpc(svc, "claim", worker_id=worker, job_types=types, batch_size=batch)]


def test_a_window_admits_its_starts_then_nothing_until_it_slides(svc: Conn) -> None:
    limited(svc, "mail_fetch", rate_limits=[{"starts": 3, "per_seconds": 1.5}], rate_key="mailbox")
    rpc(svc, "enqueue_batch", items=[{"job_type": "mail_fetch", "payload": {"mailbox": m}}
                                     for m in ["a"] * 5 + ["b"] * 2])
    first = claim_ids(svc)
    keys = svc.execute("select rate_key, count(*) from jobs.jobs where id = any(%s) "
                       "group by 1 order by 1", [first]).fetchall()
    assert keys == [("a", 3), ("b", 2)]  # each key its own bucket
    assert claim_ids(svc) == []          # a's window is full, b has no more jobs
    wait = one(svc, "rate_limit_wait", job_types=["mail_fetch"])["rate_limit_wait"]
    assert 0 < wait <= 1.5
    time.sleep(wait + 0.05)
    assert len(claim_ids(svc)) == 2      # the window slid past the first starts


def test_several_windows_hold_at_once(svc: Conn) -> None:
    limited(svc, "freee_sync", rate_limits=[{"starts": 2, "per_seconds": 0.5},
                                            {"starts": 3, "per_seconds": 60}])
    rpc(svc, "enqueue_batch", items=[{"job_type": "freee_sync"} for _ in range(6)])
    assert len(claim_ids(svc)) == 2      # the short window
    time.sleep(0.6)
    assert len(claim_ids(svc)) == 1      # the long window: 3 per minute
    time.sleep(0.6)
    assert claim_ids(svc) == []
    stats = rpc(svc, "rate_limit_stats")
    assert [(s["limit_kind"], s["capacity"], s["used"], s["remaining"]) for s in stats] == [
        ("starts", 2, 0, 2), ("starts", 3, 3, 0)]


def test_key_concurrency_limits_running_jobs_per_key(svc: Conn) -> None:
    limited(svc, "company_export", key_concurrency=1)
    rpc(svc, "enqueue_batch", items=[{"job_type": "company_export", "rate_key": k}
                                     for k in ["c1", "c1", "c1", "c2"]])
    got = rpc(svc, "claim", worker_id="w", batch_size=10)
    assert sorted(r["rate_key"] for r in got) == ["c1", "c2"]
    assert claim_ids(svc) == []          # each key runs one at a time
    c1 = next(r for r in got if r["rate_key"] == "c1")
    rpc(svc, "complete_jobs", worker_id="w", completions=[{"job_id": c1["id"], "attempt": 1}])
    again = rpc(svc, "claim", worker_id="w", batch_size=10)
    assert [r["rate_key"] for r in again] == ["c1"]
    stats = {(s["rate_key"], s["limit_kind"]): s for s in rpc(svc, "rate_limit_stats")}
    assert stats["c1", "concurrency"]["used"] == 1 and stats["c1", "concurrency"]["remaining"] == 0


def test_a_blocked_key_does_not_hold_back_the_others(svc: Conn) -> None:
    limited(svc, "mail_fetch", rate_limits=[{"starts": 1, "per_seconds": 60}], rate_key="mailbox")
    rpc(svc, "enqueue_batch", items=[{"job_type": "mail_fetch", "payload": {"mailbox": "busy"}}
                                     for _ in range(50)])
    rpc(svc, "enqueue", job_type="mail_fetch", payload={"mailbox": "quiet"})
    assert len(claim_ids(svc, batch=5)) == 1   # busy's one start
    got = rpc(svc, "claim", worker_id="w", batch_size=5)
    assert [r["rate_key"] for r in got] == ["quiet"]


def test_a_limited_and_an_unlimited_type_side_by_side(svc: Conn) -> None:
    limited(svc, "freee_sync", rate_limits=[{"starts": 2, "per_seconds": 60}])
    rpc(svc, "enqueue_batch", items=[{"job_type": "freee_sync"} for _ in range(5)]
        + [{"job_type": "file_organize"} for _ in range(5)])
    got = rpc(svc, "claim", worker_id="w", batch_size=100)
    types = sorted(r["job_type"] for r in got)
    assert types == ["file_organize"] * 5 + ["freee_sync"] * 2
    starts = svc.execute("select count(*) from jobs.rate_starts").fetchone()
    assert starts == (2,)  # the unlimited type records nothing


def test_the_payload_path_and_the_enqueue_argument_give_the_key(svc: Conn) -> None:
    limited(svc, "freee_sync", rate_limits=[{"starts": 5, "per_seconds": 1}],
            rate_key="company.id")
    a = one(svc, "enqueue", job_type="freee_sync", payload={"company": {"id": 42}})
    b = one(svc, "enqueue", job_type="freee_sync", payload={"company": {"id": 42}}, rate_key="x")
    c = rpc(svc, "enqueue_batch", items=[{"job_type": "freee_sync", "payload": {"company": {"id": 7}}},
                                         {"job_type": "freee_sync", "rate_key": "y", "ref": "r"}])
    assert [a["rate_key"], b["rate_key"], *(r["rate_key"] for r in c)] == ["42", "x", "7", "y"]
    d = one(svc, "enqueue", job_type="freee_sync", payload={}, idempotency_key="k1")
    assert d["rate_key"] is None  # no such field: the type's shared bucket


@pytest.mark.parametrize(("options", "message"), [
    ({"rate_limits": Jsonb([])}, "1 to 4 windows"),
    ({"rate_limits": Jsonb({"starts": 1})}, "must be a list"),
    ({"rate_limits": [{"starts": 1, "per_seconds": 1}] * 5}, "1 to 4 windows"),
    ({"rate_limits": [{"starts": 0, "per_seconds": 1}]}, "rate_limits[0] must be"),
    ({"rate_limits": [{"starts": 5, "per_seconds": -1}]}, "rate_limits[0] must be"),
    ({"rate_limits": [{"starts": 5, "per_seconds": 1, "burst": 2}]}, "rate_limits[0] must be"),
    ({"rate_limits": [{"starts": 5, "per_seconds": 1}, {"starts": 9, "per_seconds": 1}]},
     "same per_seconds twice"),
    ({"key_concurrency": 0}, "key_concurrency must be"),
    ({"rate_key": "a..b", "key_concurrency": 1}, "dotted path"),
    ({"rate_key": "mailbox"}, "a key alone limits nothing"),
])
def test_bad_declarations_are_refused_and_change_nothing(svc: Conn, options: dict[str, Any],
                                                         message: str) -> None:
    before = svc.execute("select to_jsonb(t) from jobs.job_types t where name = 'mail_fetch'").fetchone()
    with pytest.raises(psycopg.Error, match=message.replace("[", r"\[")):
        one(svc, "upsert_job_type", name="mail_fetch", **options)
    after = svc.execute("select to_jsonb(t) from jobs.job_types t where name = 'mail_fetch'").fetchone()
    assert before == after


def test_a_bad_rate_key_at_enqueue_is_refused(svc: Conn) -> None:
    with pytest.raises(psycopg.Error, match="rate_key must be a string"):
        rpc(svc, "enqueue_batch", items=[{"job_type": "file_organize", "rate_key": 5}])
    with pytest.raises(psycopg.Error, match=r"jobs\[1\]\.rate_key must be a string"):
        rpc(svc, "enqueue_batch", items=[{"job_type": "file_organize"},
                                         {"job_type": "file_organize", "rate_key": ""}])
    assert svc.execute("select count(*) from jobs.jobs").fetchone() == (0,)
