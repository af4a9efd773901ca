"""Check a webhook request before anything touches the database.

Order: content type (415), size (413), signature and freshness (401), replay (401),
JSON shape (400). Each rejection is a WebhookRejectedError with a status and a short reason.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from starlette.requests import Request

from supajobs.signing import SIGNATURE_HEADER, SignatureError, verify
from supajobs_worker.replay import ReplayCache


class WebhookRejectedError(Exception):
    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status, self.reason, self.message = status, reason, message


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise WebhookRejectedError(413, "body_too_large", f"body larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():  # a lying or absent Content-Length is capped too
        body += chunk
        if len(body) > limit:
            raise WebhookRejectedError(413, "body_too_large", f"body larger than {limit} bytes")
    return bytes(body)


def check_content_type(request: Request) -> None:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise WebhookRejectedError(415, "unsupported_media_type",
                              f"Content-Type must be application/json, got {kind or 'none'!r}")


def check_signature(secrets: Sequence[str], headers: dict[str, str], body: bytes,
                    replays: ReplayCache) -> None:
    try:
        timestamp = verify(list(secrets), headers, body)
    except SignatureError as exc:
        raise WebhookRejectedError(401, exc.reason, exc.message) from None
    signature = next(v for k, v in headers.items() if k.lower() == SIGNATURE_HEADER.lower())
    if not replays.check_and_remember(timestamp, signature):
        raise WebhookRejectedError(401, "replayed", "this signed request was already received")


def parse_event(body: bytes) -> dict[str, Any]:
    try:
        event = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WebhookRejectedError(400, "malformed_json",
                                   f"body is not valid JSON: {exc}") from None
    if not isinstance(event, dict):
        raise WebhookRejectedError(400, "malformed_json", "body must be a JSON object")
    return event


async def accept(request: Request, secrets: Sequence[str], limit: int,
                 replays: ReplayCache) -> dict[str, Any]:
    """The verified event, or WebhookRejectedError."""
    check_content_type(request)
    body = await read_body(request, limit)
    check_signature(secrets, dict(request.headers.items()), body, replays)
    return parse_event(body)
