"""Webhook delivery through the stand-in relay to a real worker: normal, duplicated, dropped,
and arriving before the enqueue commits. The job row is the truth; webhooks only wake."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import psycopg
from psycopg.types.json import Jsonb

from e2e.worker_harness import (
    SECRET,
    enqueue,
    enqueue_many,
    executions,
    job,
    prepare,
    relay,
    running,
    sql,
    wait_for,
)
from supajobs.signing import signed_headers
from supajobs_dev.cluster import free_port


def test_enqueue_wakes_the_worker_and_the_job_completes(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    prepare(db_url, port)
    with running(db_url, tmp_path, port=port) as worker, relay(db_url):
        job_id = enqueue(db_url, "e2e_sleep", {"seconds": 0})
        wait_for(lambda: job(db_url, job_id)["status"] == "succeeded")
        invalid, refused = enqueue_many(db_url, "e2e_sleep", [{"seconds": "soon"},
                                                              {"seconds": 0, "fail": True}])
        wait_for(lambda: job(db_url, invalid)["status"] == job(db_url, refused)["status"] == "dead")
        metrics = httpx.get(worker.url + "/metrics").text
    (attempt,) = executions(db_url, job_id)
    assert attempt["status"] == "completed" and attempt["worker_id"] == "w1"
    assert job(db_url, job_id)["result"] == {"slept": 0, "attempt": 1, "worker": "w1"}
    # a payload that fails validation, or a NonRetryableError: dead letter at the first attempt
    dead = sql(db_url, "select id, attempts, last_error from jobs.dead_letters order by id")
    assert [(d["id"], d["attempts"]) for d in dead] == [(invalid, 1), (refused, 1)]
    assert "invalid payload for e2e_sleep" in dead[0]["last_error"]
    assert "seconds" in dead[0]["last_error"]
    assert dead[1]["last_error"] == "NonRetryableError: asked to fail"
    assert 'supajobs_jobs_completed_total{job_type="e2e_sleep"} 1.0' in metrics
    assert 'supajobs_jobs_failed_total{job_type="e2e_sleep",reason="invalid_payload"} 1.0' in metrics


def test_duplicated_webhooks_run_each_job_once(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    prepare(db_url, port)
    with running(db_url, tmp_path, port=port) as worker, relay(db_url, "--duplicate-rate", "1"):
        ids = enqueue_many(db_url, "e2e_sleep", [{"seconds": 0.05}] * 5)  # one wake-up
        wait_for(lambda: all(job(db_url, i)["status"] == "succeeded" for i in ids))
        # every wake-up arrived twice; the copy is refused as a replay
        metrics = httpx.get(worker.url + "/metrics").text
    assert 'supajobs_webhook_requests_total{outcome="replayed"}' in metrics
    for job_id in ids:
        assert [x["status"] for x in executions(db_url, job_id)] == ["completed"]


def test_two_genuine_wakeups_for_one_job_still_run_it_once(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    prepare(db_url, port, standin=False)  # no pg_net: we send the wake-ups ourselves
    with running(db_url, tmp_path, port=port, concurrency=1) as worker:
        job_id = enqueue(db_url, "e2e_sleep", {"seconds": 0.3})
        answers = []
        for ts in (time.time(), time.time() + 1):  # distinct signatures: not replays
            body = json.dumps({"event": "work_due", "due": 1})
            answers.append(httpx.post(worker.url + "/webhook", content=body, headers={
                "Content-Type": "application/json", **signed_headers(SECRET, body, now=ts)}))
        wait_for(lambda: job(db_url, job_id)["status"] == "succeeded")
    assert [a.status_code for a in answers] == [202, 202]
    assert sum(len(a.json()["claimed"]) for a in answers) <= 1
    assert [x["status"] for x in executions(db_url, job_id)] == ["completed"]


def test_dropped_webhook_is_recovered_by_the_sweeper(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    prepare(db_url, port)
    with running(db_url, tmp_path, port=port):
        with relay(db_url, "--drop-rate", "1"):
            job_id = enqueue(db_url, "e2e_sleep", {"seconds": 0})
            wait_for(lambda: sql(db_url, "select 1 from net._http_response"
                                         " where error_msg like '%%dropped%%'"))
        assert job(db_url, job_id)["status"] == "queued"  # the wake-up was lost
        with relay(db_url):
            assert sql(db_url, "select jobs.sweep() as s")[0]["s"]["due"] == 1
            wait_for(lambda: job(db_url, job_id)["status"] == "succeeded")
    assert [x["status"] for x in executions(db_url, job_id)] == ["completed"]


def test_webhook_before_commit_finds_nothing_and_harms_nothing(db_url: str,
                                                               tmp_path: Path) -> None:
    port = free_port()
    prepare(db_url, port)
    with running(db_url, tmp_path, port=port) as worker, relay(db_url), \
            psycopg.connect(db_url) as tx:
        (job_id,) = tx.execute("select id from jobs.enqueue(job_type => 'e2e_sleep',"
                               " payload => %s)", [Jsonb({"seconds": 0})]).fetchone() or ()
        body = json.dumps({"event": "work_due", "due": 1})  # an early wake-up, e.g. a race
        early = httpx.post(worker.url + "/webhook", content=body, headers={
            "Content-Type": "application/json", **signed_headers(SECRET, body)})
        assert early.status_code == 202 and early.json()["claimed"] == []
        tx.commit()  # now the real wake-up leaves, and the job runs
        wait_for(lambda: job(db_url, job_id)["status"] == "succeeded")
    assert [x["status"] for x in executions(db_url, job_id)] == ["completed"]
