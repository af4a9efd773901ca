"""alert_notify: Slack-compatible JSON, retryable failure on non-2xx, success on retry."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from supajobs_worker.observability.alerts import (
    ALERT_JOB_TYPE,
    AlertDeliveryError,
    AlertPayload,
    make_alert_handler,
    register_alert_handler,
    slack_message,
    webhook_url_from_env,
)
from supajobs_worker.registry import JobContext, NonRetryableError, Registry

HOOK = "https://hooks.example.test/services/T000/B000/secretpart"
TRIP = {"kind": "breaker_trip", "scope": "type:email_scan", "trip_id": 12,
        "reason": "25 consecutive failures of email_scan (threshold 25)",
        "opened_at": "2026-11-28T10:00:00Z", "details": {"consecutive_failures": 25}}


def ctx(attempt: int) -> JobContext:
    return JobContext(job_id=41, job_type=ALERT_JOB_TYPE, attempt=attempt, worker_id="w1")


@respx.mock
async def test_failing_endpoint_raises_retryable_then_the_retry_delivers() -> None:
    route = respx.post(HOOK).mock(side_effect=[httpx.Response(500, text="slack is down"),
                                               httpx.Response(200, text="ok")])
    handler = make_alert_handler(HOOK, dashboard_url="https://ops.example.test/dashboard/")
    payload = AlertPayload.model_validate(TRIP)
    with pytest.raises(AlertDeliveryError, match="answered 500: slack is down") as failure:
        await handler(payload, ctx(1))
    assert not isinstance(failure.value, NonRetryableError), "the queue must retry it"
    assert "secretpart" not in str(failure.value), "the webhook URL is a credential"
    result = await handler(payload, ctx(2))
    assert result == {"delivered": True, "status": 200, "scope": "type:email_scan"}
    assert route.call_count == 2
    sent = json.loads(route.calls[-1].request.content)
    assert sent["text"].startswith("supajobs: circuit breaker open (type:email_scan)")
    assert sent["blocks"][1]["text"]["text"] == TRIP["reason"]
    assert "trip #12" in sent["blocks"][2]["elements"][0]["text"]
    assert "<https://ops.example.test/dashboard/|open the dashboard>" in \
        sent["blocks"][2]["elements"][0]["text"]


@respx.mock
async def test_unreachable_endpoint_is_retryable() -> None:
    respx.post(HOOK).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(AlertDeliveryError, match="unreachable: ConnectError"):
        await make_alert_handler(HOOK)(AlertPayload.model_validate(TRIP), ctx(1))


@pytest.mark.parametrize(("kind", "title"), [
    ("dead_letters", "dead letters over threshold"),
    ("failure_rate", "failure rate over threshold"),
])
def test_message_title_names_the_kind_of_alert(kind: str, title: str) -> None:
    alert = AlertPayload.model_validate({"kind": kind, "scope": "global", "reason": "r"})
    message = slack_message(alert)
    assert message["blocks"][0]["text"]["text"] == f"supajobs: {title} (global)"
    assert message["blocks"][2]["elements"][0]["text"] == "scope `global`"


@pytest.mark.parametrize(("details", "title"), [
    ({"dead_letters": 101}, "dead letters over threshold"),
    ({"finished": 30, "failed": 20}, "failure rate over threshold"),
    ({}, "circuit breaker open"),
])
def test_global_trips_are_titled_by_their_details(details: dict[str, int], title: str) -> None:
    alert = AlertPayload.model_validate({"scope": "global", "reason": "r", "details": details})
    assert slack_message(alert)["text"] == f"supajobs: {title} (global): r"


@pytest.mark.parametrize(("payload", "field"), [
    ({"scope": "global"}, "reason"),
    ({"reason": "x"}, "scope"),
    ({"scope": "global", "reason": "x", "kind": "weather"}, "kind"),
])
def test_bad_payload_names_the_field(payload: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        AlertPayload.model_validate(payload)


@pytest.mark.parametrize("url", ["", "ftp://hooks.example.test/x", "https://", "not a url"])
def test_bad_webhook_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="SUPAJOBS_ALERT_WEBHOOK_URL"):
        make_alert_handler(url)


def test_webhook_url_from_env() -> None:
    assert webhook_url_from_env({"SUPAJOBS_ALERT_WEBHOOK_URL": f" {HOOK} "}) == HOOK
    with pytest.raises(ValueError, match="is not set"):
        webhook_url_from_env({})


def test_registers_the_alert_notify_job_type() -> None:
    registry = Registry()
    register_alert_handler(registry, HOOK)
    handler = registry.get(ALERT_JOB_TYPE)
    assert handler is not None and handler.payload is AlertPayload
