"""Uploading one file: multipart up to `threshold`, resumable in chunks above it.

A resumable upload survives an interrupted chunk: it asks the session how much arrived
(`Content-Range: bytes */total`) and goes on from there. Nothing here repeats a whole
upload; the store decides that after looking for the file by its sha256.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import httpx

from supajobs_receipts.google_api import GoogleApiError, GoogleHttp
from supajobs_receipts.storage.google_drive_api import ALL_DRIVES, FIELDS, UPLOAD

THRESHOLD = 5 * 1024 * 1024
CHUNK = 8 * 256 * 1024  # Drive wants chunks in multiples of 256 KiB
MAX_INTERRUPTIONS = 5


def upload(http: GoogleHttp, metadata: dict[str, Any], data: bytes, content_type: str, *,
           threshold: int = THRESHOLD, chunk: int = CHUNK) -> dict[str, Any]:
    if len(data) <= threshold:
        return _multipart(http, metadata, data, content_type)
    return _resumable(http, metadata, data, content_type, chunk)


def _multipart(http: GoogleHttp, metadata: dict[str, Any], data: bytes,
               content_type: str) -> dict[str, Any]:
    boundary = f"supajobs-{secrets.token_hex(12)}"
    body = b"".join([
        f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n".encode(),
        json.dumps(metadata).encode(), b"\r\n",
        f"--{boundary}\r\nContent-Type: {content_type}\r\n\r\n".encode(), data, b"\r\n",
        f"--{boundary}--\r\n".encode()])
    params = {**ALL_DRIVES, "uploadType": "multipart", "fields": FIELDS}
    headers = {"Content-Type": f"multipart/related; boundary={boundary}"}
    response = http.request("POST", UPLOAD, params=params, content=body, headers=headers,
                            retry_safe=False)
    return dict(response.json())


def _resumable(http: GoogleHttp, metadata: dict[str, Any], data: bytes, content_type: str,
               chunk: int) -> dict[str, Any]:
    params = {**ALL_DRIVES, "uploadType": "resumable", "fields": FIELDS}
    headers = {"X-Upload-Content-Type": content_type, "X-Upload-Content-Length": str(len(data))}
    start = http.request("POST", UPLOAD, params=params, json=metadata, headers=headers,
                         retry_safe=False)
    session = start.headers["location"]
    total, offset, interrupted = len(data), 0, 0
    while True:
        piece = data[offset:offset + chunk]
        headers = {"Content-Range": f"bytes {offset}-{offset + len(piece) - 1}/{total}"}
        try:
            response = http.request("PUT", session, content=piece, headers=headers,
                                    ok=(308,), retry_safe=False)
        except GoogleApiError as exc:
            if not exc.retryable or interrupted >= MAX_INTERRUPTIONS:
                raise
            interrupted += 1
            response = http.request("PUT", session, headers={"Content-Range": f"bytes */{total}"},
                                    ok=(308,))
        if response.status_code != 308:
            return dict(response.json())
        offset = _received(response)


def _received(response: httpx.Response) -> int:
    """How many bytes the session has: `Range: bytes=0-N` means N+1; no Range, none."""
    header = response.headers.get("range", "")
    if not header.startswith("bytes=0-"):
        return 0
    return int(header.removeprefix("bytes=0-")) + 1
