"""Hypothesis against the real webhook app (Starlette TestClient, a real database): arbitrary
bodies, content types, signatures and timestamps never produce a 5xx, and nothing is claimed
without a valid signature. A genuinely signed request then claims the job (the control)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from e2e.worker_harness import job, sql, wait_for
from fuzz.strategies import fuzz_settings, json_values
from supajobs.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, signed_headers
from supajobs_worker.app import create_app
from supajobs_worker.config import WorkerConfig
from supajobs_worker.registry import Registry

SECRET = "fuzz-webhook-secret-0123456789"
REJECTIONS = {400, 401, 413, 415}
PRINTABLE = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80)
bodies = st.one_of(st.binary(max_size=1500), json_values().map(json.dumps).map(str.encode),
                   st.just(b'{"event": "work_due", "due": 1}'))


@st.composite
def header_sets(draw: st.DrawFn, body: bytes) -> dict[str, str]:
    now = int(time.time())
    headers: dict[str, str] = {}
    kind = draw(st.sampled_from(["application/json", "application/json; charset=utf-8",
                                 "text/plain", "APPLICATION/JSON", ""]) | PRINTABLE)
    if kind:
        headers["Content-Type"] = kind
    ts = draw(st.sampled_from([now, now - 301, now + 301, now - 10**6]) | st.integers(-1, 2**40))
    signature = draw(st.one_of(
        PRINTABLE, st.just(""),
        st.binary(min_size=32, max_size=32).map(lambda b: "v1=" + b.hex()),
        st.just(sign(SECRET, ts, body + b" ")),                 # another body
        st.just(sign("another-secret-0123456789", ts, body)),  # another secret
        st.just(sign(SECRET, ts + 1, body)),                   # another timestamp
    ))
    if draw(st.booleans()):
        signature = f"{signature},{sign(SECRET, ts - 1, body)}"  # several entries, all wrong
    if signature or draw(st.booleans()):
        headers[SIGNATURE_HEADER] = signature
    if draw(st.booleans()):
        headers[TIMESTAMP_HEADER] = str(ts) if draw(st.booleans()) else draw(PRINTABLE)
    stale = abs(ts - now) > 300
    if stale and draw(st.booleans()):  # a correct signature, but stale or from the future
        headers.update({TIMESTAMP_HEADER: str(ts), SIGNATURE_HEADER: sign(SECRET, ts, body)})
    return headers


@pytest.fixture
def app(db_url: str) -> Iterator[tuple[TestClient, int]]:
    registry = Registry()
    registry.handler("email_scan")(lambda payload, ctx: None)
    # An idle worker looks for work at every heartbeat (a third of its lease): a long lease
    # keeps that look (every 600 s) out of this test, so a claim could only come from a request.
    config = WorkerConfig(database_url=db_url, webhook_secrets=(SECRET,), worker_id="fuzz",
                          max_body_bytes=1024, lease_seconds=1800)
    with TestClient(create_app(config, registry)) as http:
        # A starting worker claims what is due, once: the job becomes due only after that
        # start-up claim found nothing. No dispatch is configured, so only a webhook wakes it.
        (row,) = sql(db_url, "select id from jobs.enqueue(job_type => 'email_scan',"
                             " run_at => now() + interval '1 second')")
        wait_for(lambda: sql(db_url, "select 1 from jobs.jobs where run_at <= now()"),
                 timeout=10)
        yield http, int(row["id"])


def claimed_anything(db_url: str, job_id: int) -> bool:
    row = job(db_url, job_id)
    history = sql(db_url, "select 1 from jobs.job_executions where job_id = %s", [job_id])
    return bool(row["status"] != "queued" or row["attempts"] or history)


@fuzz_settings(200)
@given(data=st.data())
def test_bad_requests_never_fail_the_server_nor_claim(app: tuple[TestClient, int], db_url: str,
                                                      data: Any) -> None:
    http, job_id = app
    body = data.draw(bodies)
    headers = data.draw(header_sets(body))
    answer = http.post("/webhook", content=body, headers=headers)
    assert answer.status_code in REJECTIONS, (answer.status_code, answer.text, headers)
    assert answer.json()["error"]
    assert not claimed_anything(db_url, job_id)


def test_a_signed_request_claims_the_job(app: tuple[TestClient, int], db_url: str) -> None:
    http, job_id = app
    body = json.dumps({"event": "work_due", "due": 1})
    answer = http.post("/webhook", content=body, headers={
        "Content-Type": "application/json", **signed_headers(SECRET, body)})
    assert answer.status_code == 202 and answer.json()["claimed"] == [job_id]
