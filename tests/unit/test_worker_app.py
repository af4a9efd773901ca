"""The webhook app without a database: rejections never reach the transport, a genuine
wake-up claims (only the worker's own job types), /healthz and /metrics answer."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from supajobs.signing import signed_headers
from supajobs_worker.app import create_app
from supajobs_worker.config import WorkerConfig
from supajobs_worker.dashboard.mount import dashboard_mount
from supajobs_worker.registry import Registry
from supajobs_worker.resources import ResourceMonitor
from supajobs_worker.service import WorkerService
from unit.worker_fakes import RecordingTransport, client

SECRET = "unit-secret-0123456789"
BODY = json.dumps({"event": "work_due", "due": 1})


class Pressure:
    percent = 10.0

    def __call__(self) -> float:
        return self.percent


@pytest.fixture
def setup() -> Iterator[tuple[TestClient, RecordingTransport, Pressure]]:
    registry = Registry()
    registry.handler("file_organize")(lambda p, c: None)
    config = WorkerConfig(database_url="postgresql://unused", webhook_secrets=(SECRET,),
                          worker_id="unit", max_body_bytes=1024)
    transport, pressure = RecordingTransport(), Pressure()
    service = WorkerService(config, registry, mode="webhook", client=client(transport),
                            monitor=ResourceMonitor(95.0, pressure, check_every=0))
    with TestClient(create_app(config, registry, service=service)) as http:
        yield http, transport, pressure


def post(http: TestClient, body: str | bytes | Iterator[bytes],
         headers: dict[str, str]) -> tuple[int, str]:
    answer = http.post("/webhook", content=body, headers=headers)
    assert answer.headers["content-type"] == "application/json"
    return answer.status_code, answer.json()["error"]


def signed(body: str | bytes, **extra: str) -> dict[str, str]:
    return {"Content-Type": "application/json", **signed_headers(SECRET, body), **extra}


def test_rejections_happen_before_any_database_call(setup: tuple[TestClient, RecordingTransport,
                                                                 Pressure]) -> None:
    http, transport, _ = setup
    claims_at_start = len(transport.named("claim_work"))  # starting up claims once, by design

    def chunks() -> Iterator[bytes]:
        yield b"[" * 800
        yield b"[" * 800

    assert post(http, BODY, {"Content-Type": "application/json"}) == (401, "missing_signature")
    assert post(http, BODY, signed(BODY, **{"Content-Type": "text/plain"})) == (
        415, "unsupported_media_type")
    assert post(http, "x" * 2000, signed("x" * 2000)) == (413, "body_too_large")
    assert post(http, chunks(), signed(b"[" * 1600)) == (413, "body_too_large")  # no length
    assert post(http, "{", signed("{")) == (400, "malformed_json")
    assert post(http, BODY, {**signed(BODY), "X-Supajobs-Signature": "garbage"}) == (
        401, "malformed_signature")
    stale = {"Content-Type": "application/json",
             **signed_headers(SECRET, BODY, now=time.time() - 301)}
    assert post(http, BODY, stale) == (401, "stale_timestamp")
    assert len(transport.named("claim_work")) == claims_at_start


def test_a_genuine_wakeup_claims_its_own_types_once(setup: tuple[TestClient, RecordingTransport,
                                                                 Pressure]) -> None:
    http, transport, _ = setup
    headers = signed(BODY)
    answer = http.post("/webhook", content=BODY, headers=headers)
    assert answer.status_code == 202
    assert answer.json() == {"worker_id": "unit", "event": "work_due", "claimed": [],
                             "in_flight": 0}
    claim = transport.named("claim_work")[-1]
    assert claim["job_types"] == ["file_organize"] and claim["worker_id"] == "unit"
    assert post(http, BODY, headers) == (401, "replayed")


def test_memory_pressure_stops_claiming(setup: tuple[TestClient, RecordingTransport,
                                                     Pressure]) -> None:
    http, transport, pressure = setup
    pressure.percent = 96.0
    before = len(transport.named("claim_work"))
    assert post(http, BODY, signed(BODY)) == (503, "memory_pressure")
    assert len(transport.named("claim_work")) == before


def test_healthz_and_metrics(setup: tuple[TestClient, RecordingTransport, Pressure]) -> None:
    http, _, _ = setup
    http.post("/webhook", content=BODY, headers={"Content-Type": "application/json"})
    health = http.get("/healthz").json()
    assert health["status"] == "ok" and health["job_types"] == ["file_organize"]
    text = http.get("/metrics").text
    assert 'supajobs_webhook_requests_total{outcome="missing_signature"} 1.0' in text
    assert "supajobs_worker_rss_bytes" in text and "supajobs_worker_cpu_percent" in text


def test_dashboard_is_mounted_behind_its_token() -> None:
    registry = Registry()
    registry.handler("file_organize")(lambda p, c: None)
    config = WorkerConfig(database_url="postgresql://unused", webhook_secrets=(SECRET,),
                          worker_id="unit")
    service = WorkerService(config, registry, mode="webhook", client=client(RecordingTransport()))
    token = "dashboard-token-0123456789"
    app = create_app(config, registry, service=service, mounts=[dashboard_mount(config, token)])
    with TestClient(app) as http:
        assert http.get("/dashboard/api/overview").status_code == 401
        page = http.get("/dashboard/", follow_redirects=False)
        assert page.status_code in (302, 303, 307) and "login" in page.headers["location"]
        assert http.post("/dashboard/api/dead-letters/1/requeue").status_code in (401, 403)
