"""Bad webhook requests get a 4xx JSON error from a real worker and claim nothing."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx

from e2e.worker_harness import SECRET, enqueue, executions, job, prepare, running
from supajobs.signing import signed_headers
from supajobs_dev.cluster import free_port

BODY = json.dumps({"event": "work_due", "due": 1})
JSON = {"Content-Type": "application/json"}


def signed(body: str | bytes, now: float | None = None) -> dict[str, str]:
    return {**JSON, **signed_headers(SECRET, body, now=now)}


def cases() -> list[tuple[str, bytes | str, dict[str, str], int, str]]:
    """Signed now, not at collection: a long session would make them all stale."""
    return [
        ("malformed json", "{not json", signed("{not json"), 400, "malformed_json"),
        ("not an object", "[1, 2]", signed("[1, 2]"), 400, "malformed_json"),
        ("oversized", "x" * 70_000, signed("x" * 70_000), 413, "body_too_large"),
        ("wrong content type", BODY, {**signed(BODY), "Content-Type": "text/plain"}, 415,
         "unsupported_media_type"),
        ("unsigned", BODY, JSON, 401, "missing_signature"),
        ("bad signature", BODY, {**JSON, "X-Supajobs-Timestamp": str(int(time.time())),
                                 "X-Supajobs-Signature": "v1=" + "0" * 64}, 401, "bad_signature"),
        ("wrong secret", BODY, {**JSON, **signed_headers("another-secret-0123456789", BODY)}, 401,
         "bad_signature"),
        ("stale", BODY, signed(BODY, now=time.time() - 600), 401, "stale_timestamp"),
        ("tampered body", BODY.replace("1", "9"), signed(BODY), 401, "bad_signature"),
    ]


def test_bad_requests_are_refused_before_touching_the_database(db_url: str,
                                                               tmp_path: Path) -> None:
    port = free_port()
    prepare(db_url, port, standin=False)  # no pg_net: only our requests reach the worker
    with running(db_url, tmp_path, port=port) as worker:
        job_id = enqueue(db_url, "e2e_sleep", {"seconds": 0})
        for name, body, headers, status, reason in cases():
            answer = httpx.post(worker.url + "/webhook", content=body, headers=headers)
            assert (answer.status_code, answer.json()["error"]) == (status, reason), name
            assert answer.headers["content-type"] == "application/json", name
            assert answer.json()["message"], name
        assert job(db_url, job_id)["status"] == "queued" and executions(db_url, job_id) == []

        headers = signed(BODY)
        first = httpx.post(worker.url + "/webhook", content=BODY, headers=headers)
        again = httpx.post(worker.url + "/webhook", content=BODY, headers=headers)
        assert first.status_code == 202 and first.json()["claimed"] == [job_id]
        assert (again.status_code, again.json()["error"]) == (401, "replayed")
        assert httpx.get(worker.url + "/webhook").status_code == 405

