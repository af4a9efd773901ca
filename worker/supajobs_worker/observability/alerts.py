"""Alert delivery: the handler of job type `alert_notify` POSTs Slack-compatible JSON.

The database enqueues one `alert_notify` job per breaker trip; delivering it as a job means a
failing endpoint is retried with the queue's backoff and ends in the dead letters, visible on
the dashboard. Payload (see docs/operations.md):

    {"kind": "breaker_trip", "scope": "global" | "type:<job_type>" | "worker:<id>:<kind>",
     "reason": "...",
     "trip_id": 12, "opened_at": "2026-11-28T10:00:00Z", "details": {...}}

`details` of a global trip holds `dead_letters` or `finished`/`failed`, which names the alert;
kind may also be given as "dead_letters" or "failure_rate" directly. An application raises
"action_needed" when only a person can fix something (the receipt app: a revoked OAuth grant);
its reason says what to do.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field

from supajobs_worker.registry import JobContext, Registry

ALERT_JOB_TYPE = "alert_notify"
URL_ENV = "SUPAJOBS_ALERT_WEBHOOK_URL"
log = logging.getLogger(__name__)
TITLES = {"breaker_trip": "circuit breaker open", "dead_letters": "dead letters over threshold",
          "failure_rate": "failure rate over threshold", "action_needed": "action needed"}


class AlertDeliveryError(Exception):
    """The endpoint refused or could not be reached: retryable, the queue tries again."""


class AlertPayload(BaseModel):
    model_config = ConfigDict(extra="allow")

    kind: Literal["breaker_trip", "dead_letters", "failure_rate", "action_needed"] = "breaker_trip"
    scope: str = Field(min_length=1, max_length=300)  # worker:<id up to 200>:<kind>
    reason: str = Field(min_length=1, max_length=2000)
    trip_id: int | None = None
    opened_at: datetime | None = None
    details: dict[str, Any] = {}


def check_webhook_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{URL_ENV} must be an http(s) URL with a host")
    return url.strip()


def webhook_url_from_env(env: Mapping[str, str] | None = None) -> str:
    value = (os.environ if env is None else env).get(URL_ENV, "")
    if not value.strip():
        raise ValueError(f"{URL_ENV} is not set: alerts need a Slack-compatible webhook URL")
    return check_webhook_url(value)


def alert_kind(alert: AlertPayload) -> str:
    """Global trips say in their details why they tripped (jobs._count_failures)."""
    if alert.kind == "breaker_trip" and alert.scope == "global":
        if "dead_letters" in alert.details:
            return "dead_letters"
        if "failed" in alert.details:
            return "failure_rate"
    return alert.kind


def slack_message(alert: AlertPayload, dashboard_url: str | None = None) -> dict[str, Any]:
    title = f"supajobs: {TITLES[alert_kind(alert)]} ({alert.scope})"
    facts = [f"scope `{alert.scope}`"]
    if alert.trip_id is not None:
        facts.append(f"trip #{alert.trip_id}")
    if alert.opened_at is not None:
        facts.append(f"opened {alert.opened_at.isoformat()}")
    if dashboard_url:
        facts.append(f"<{dashboard_url}|open the dashboard>")
    return {"text": f"{title}: {alert.reason}",
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
                {"type": "section", "text": {"type": "mrkdwn", "text": alert.reason}},
                {"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join(facts)}]},
            ]}


async def send_alert(alert: AlertPayload, webhook_url: str, *, dashboard_url: str | None = None,
                     timeout: float = 10.0) -> int:
    """POST the message; returns the status code, raises AlertDeliveryError unless 2xx."""
    host = urlsplit(webhook_url).hostname  # the URL itself is a credential: log the host only
    try:
        async with httpx.AsyncClient(timeout=timeout) as http:
            response = await http.post(webhook_url, json=slack_message(alert, dashboard_url))
    except httpx.HTTPError as exc:
        raise AlertDeliveryError(f"alert webhook at {host} unreachable: "
                                 f"{type(exc).__name__}") from None
    if not 200 <= response.status_code < 300:
        raise AlertDeliveryError(
            f"alert webhook at {host} answered {response.status_code}: {response.text[:200]}")
    return response.status_code


AlertHandler = Callable[[AlertPayload, JobContext], Awaitable[dict[str, Any]]]


def make_alert_handler(webhook_url: str, *, dashboard_url: str | None = None,
                       timeout: float = 10.0) -> AlertHandler:
    url = check_webhook_url(webhook_url)

    async def alert_notify(payload: AlertPayload, ctx: JobContext) -> dict[str, Any]:
        status = await send_alert(payload, url, dashboard_url=dashboard_url, timeout=timeout)
        log.info("alert delivered", extra={"job_id": ctx.job_id, "attempt": ctx.attempt,
                                           "scope": payload.scope, "http_status": status})
        return {"delivered": True, "status": status, "scope": payload.scope}

    return alert_notify


def register_alert_handler(registry: Registry, webhook_url: str, **options: Any) -> None:
    handler = make_alert_handler(webhook_url, **options)
    registry.handler(ALERT_JOB_TYPE, payload=AlertPayload, timeout=60)(handler)
