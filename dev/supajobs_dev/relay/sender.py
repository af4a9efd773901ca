"""Send one queued request over HTTP and describe what happened, as pg_net records it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class QueuedRequest:
    id: int
    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    timeout_milliseconds: int


@dataclass(frozen=True)
class Outcome:
    """One net._http_response row."""

    id: int
    status_code: int | None = None
    content_type: str | None = None
    headers: dict[str, str] | None = None
    content: str | None = None
    timed_out: bool = False
    error_msg: str | None = None

    def as_params(self) -> dict[str, Any]:
        return {
            "id": self.id, "status_code": self.status_code, "content_type": self.content_type,
            "headers": self.headers, "content": self.content, "timed_out": self.timed_out,
            "error_msg": self.error_msg,
        }


def request_from_row(row: tuple[Any, ...]) -> QueuedRequest:
    request_id, method, url, headers, body, timeout_ms = row
    return QueuedRequest(
        id=int(request_id), method=str(method).upper(), url=str(url),
        headers={str(k): str(v) for k, v in (headers or {}).items()},
        body=bytes(body) if body is not None else None,
        timeout_milliseconds=int(timeout_ms),
    )


async def send(client: httpx.AsyncClient, request: QueuedRequest) -> Outcome:
    """Send request; timeouts and transport errors become an Outcome, never an exception."""
    timeout = request.timeout_milliseconds / 1000
    try:
        # A deadline on the whole exchange, like curl's CURLOPT_TIMEOUT_MS in pg_net;
        # httpx's own timeouts only bound each phase.
        async with asyncio.timeout(timeout):
            response = await client.request(
                request.method, request.url, headers=request.headers, content=request.body,
                timeout=timeout,
            )
    except (TimeoutError, httpx.TimeoutException):
        return Outcome(
            id=request.id, timed_out=True,
            error_msg=f"Timeout of {request.timeout_milliseconds} ms reached",
        )
    except httpx.HTTPError as exc:
        return Outcome(id=request.id, error_msg=f"{type(exc).__name__}: {exc}".strip())
    return Outcome(
        id=request.id,
        status_code=response.status_code,
        content_type=response.headers.get("content-type"),
        # Names as the server sent them, like pg_net (httpx's mapping lowercases them).
        headers={k.decode("latin-1"): v.decode("latin-1") for k, v in response.headers.raw},
        # PostgreSQL text cannot hold NUL.
        content=response.text.replace("\x00", "\ufffd"),
    )
