"""Circuit breakers: a type pauses after 25 consecutive failures; dead letters over 100 or a
failure rate over 60 % in the last hour stop all claiming; trips are recorded and reset."""

from __future__ import annotations

from typing import Any

import psycopg

from support.rpc import one, rpc


def fail_all(svc: psycopg.Connection[Any], retryable: bool = True) -> int:
    claimed = rpc(svc, "claim", worker_id="w", batch_size=1000)
    if claimed:
        rpc(svc, "fail_jobs", worker_id="w", failures=[
            {"job_id": c["id"], "attempt": c["attempts"], "error": "down", "retryable": retryable}
            for c in claimed])
    return len(claimed)


def set_setting(svc: psycopg.Connection[Any], key: str, value: str) -> None:
    svc.execute("reset role")
    svc.execute("update jobs.settings set value = %s::jsonb where key = %s", [value, key])
    svc.execute("set role service_role")


def test_type_pauses_after_25_consecutive_failures(svc: psycopg.Connection[Any]) -> None:
    set_setting(svc, "failure_rate_threshold", "1.1")  # isolate the type breaker
    one(svc, "upsert_job_type", name="mailer", max_attempts=1)
    rpc(svc, "enqueue_batch", items=[{"job_type": "mailer"} for _ in range(24)])
    assert fail_all(svc) == 24
    assert rpc(svc, "list_breakers") == []
    rpc(svc, "enqueue_batch", items=[{"job_type": "mailer"} for _ in range(3)]
        + [{"job_type": "file_organize"}])
    one(svc, "enqueue", job_type="mailer")
    claimed = rpc(svc, "claim", worker_id="w", job_types=["mailer"], batch_size=1)
    rpc(svc, "fail_jobs", worker_id="w", failures=[{"job_id": claimed[0]["id"], "error": "down"}])
    breakers = rpc(svc, "list_breakers")
    assert [b["scope"] for b in breakers] == ["type:mailer"]
    assert "25 consecutive failures" in breakers[0]["reason"]
    # mailer is paused; other types still run (and the trip's alert goes out first)
    assert [c["job_type"] for c in rpc(svc, "claim", worker_id="w", batch_size=10)] == [
        "alert_notify", "file_organize"]
    trips = rpc(svc, "reset_breaker", scope="type:mailer", reset_by="ops")
    assert trips[0]["reset_by"] == "ops" and trips[0]["reset_at"] is not None
    assert len(rpc(svc, "claim", worker_id="w", job_types=["mailer"], batch_size=10)) == 3


def test_success_resets_the_consecutive_count(svc: psycopg.Connection[Any]) -> None:
    set_setting(svc, "failure_rate_threshold", "1.1")
    one(svc, "upsert_job_type", name="mailer", max_attempts=1)
    rpc(svc, "enqueue_batch", items=[{"job_type": "mailer"} for _ in range(20)])
    fail_all(svc)
    one(svc, "enqueue", job_type="mailer")
    ok = one(svc, "claim", worker_id="w", batch_size=1)
    one(svc, "complete", worker_id="w", job_id=ok["id"])
    rpc(svc, "enqueue_batch", items=[{"job_type": "mailer"} for _ in range(20)])
    fail_all(svc)
    assert rpc(svc, "list_breakers") == []


def test_more_than_100_dead_letters_stop_claiming(svc: psycopg.Connection[Any]) -> None:
    # Only the dead-letter rule may trip here.
    set_setting(svc, "failure_rate_threshold", "1.1")
    set_setting(svc, "type_failure_threshold", "1000")
    rpc(svc, "enqueue_batch", items=[{"job_type": "file_organize", "max_attempts": 1} for _ in range(101)])
    fail_all(svc, retryable=False)
    assert [b["scope"] for b in rpc(svc, "list_breakers")] == ["global"]
    one(svc, "enqueue", job_type="file_organize")
    assert rpc(svc, "claim", worker_id="w", job_types=["file_organize"], batch_size=10) == []
    history = rpc(svc, "breaker_history")
    assert history[0]["scope"] == "global" and history[0]["details"]["dead_letters"] == 101
    one(svc, "purge_dead_letters")
    rpc(svc, "reset_breaker", scope="global")
    assert len(rpc(svc, "claim", worker_id="w", job_types=["file_organize"], batch_size=10)) == 1


def test_failure_rate_over_60_percent_stops_claiming(svc: psycopg.Connection[Any]) -> None:
    rpc(svc, "enqueue_batch", items=[{"job_type": "file_organize"} for _ in range(8)])
    done = rpc(svc, "claim", worker_id="w", batch_size=8)
    rpc(svc, "complete_jobs", worker_id="w", completions=[{"job_id": d["id"]} for d in done])
    rpc(svc, "enqueue_batch", items=[{"job_type": "file_organize"} for _ in range(11)])
    assert fail_all(svc) == 11  # 11 of 19 failed: 58 %, below the threshold
    assert rpc(svc, "list_breakers") == []
    rpc(svc, "enqueue_batch", items=[{"job_type": "file_organize"} for _ in range(2)])
    fail_all(svc)  # 13 of 21: 62 %
    breakers = rpc(svc, "list_breakers")
    assert [b["scope"] for b in breakers] == ["global"] and "failure rate 62%" in breakers[0]["reason"]
    stats = [s for s in rpc(svc, "queue_stats") if s["job_type"] == "file_organize"]
    assert all(s["breaker_open"] for s in stats) and stats[0]["failures_1h"] == 13


def test_a_trip_is_recorded_once(svc: psycopg.Connection[Any]) -> None:
    set_setting(svc, "failure_rate_threshold", "1.1")
    one(svc, "upsert_job_type", name="mailer", max_attempts=1)
    rpc(svc, "enqueue_batch", items=[{"job_type": "mailer"} for _ in range(30)])
    claimed = rpc(svc, "claim", worker_id="w", batch_size=30)
    for job in claimed:  # failures 25..30 arrive while the breaker is already open
        rpc(svc, "fail_jobs", worker_id="w", failures=[{"job_id": job["id"], "error": "down"}])
    assert len(rpc(svc, "breaker_history")) == 1
    rpc(svc, "reset_breaker", scope="type:mailer")
    rpc(svc, "enqueue_batch", items=[{"job_type": "mailer"} for _ in range(25)])
    fail_all(svc)
    trips = rpc(svc, "breaker_history")
    assert [t["scope"] for t in trips] == ["type:mailer", "type:mailer"]
    assert trips[0]["reset_at"] is None and trips[1]["reset_at"] is not None


def test_each_trip_enqueues_exactly_one_alert_that_still_gets_out(svc: psycopg.Connection[Any]) -> None:
    set_setting(svc, "failure_rate_threshold", "1.1")
    set_setting(svc, "dead_letter_threshold", "2")
    rpc(svc, "enqueue_batch", items=[{"job_type": "file_organize", "max_attempts": 1} for _ in range(5)])
    claimed = rpc(svc, "claim", worker_id="w", job_types=["file_organize"], batch_size=5)
    for job in claimed:  # the 3rd dead letter trips the global breaker; later ones do not re-alert
        rpc(svc, "fail_jobs", worker_id="w", failures=[{"job_id": job["id"], "error": "down"}])
    alerts = svc.execute("select payload from jobs.jobs where job_type = 'alert_notify'").fetchall()
    assert len(alerts) == 1
    payload = alerts[0][0]
    assert (payload["kind"], payload["scope"]) == ("breaker_trip", "global")
    assert "more than 2 dead letters" in payload["reason"]
    one(svc, "enqueue", job_type="file_organize")
    # Dispatch is stopped, but the alert is still handed out.
    assert [c["job_type"] for c in rpc(svc, "claim", worker_id="w", batch_size=10)] == ["alert_notify"]


def test_a_dead_worker_trips_no_breaker(svc: psycopg.Connection[Any]) -> None:
    # A worker holding 30 jobs dies: every lease expires. The jobs are retried, but that is
    # not 30 failures of the type, nor a 100 % failure rate.
    one(svc, "upsert_job_type", name="mailer", max_attempts=3)
    rpc(svc, "enqueue_batch", items=[{"job_type": "mailer"} for _ in range(30)])
    assert len(rpc(svc, "claim", worker_id="doomed", batch_size=30, lease_seconds=1)) == 30
    svc.execute("reset role")
    svc.execute("update jobs.jobs set lease_expires_at = now() - interval '1 second'")
    svc.execute("set role service_role")
    assert one(svc, "sweep")["sweep"]["reaped"] == 30
    assert rpc(svc, "list_breakers") == []
    history = svc.execute("select status, execution_metadata from jobs.job_executions").fetchall()
    assert {(status, meta.get("lease_expired")) for status, meta in history} == {("failed", True)}
    mailer = next(s for s in rpc(svc, "queue_stats") if s["job_type"] == "mailer")
    assert mailer["consecutive_failures"] == 0 and mailer["attempts_1h"] == 0
