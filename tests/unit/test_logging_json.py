"""JSON-lines logs: job fields, payload size only, secrets redacted."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from supajobs_worker.observability.logging import (
    REDACTED,
    configure_logging,
    job_fields,
    payload_size,
)

SERVICE_KEY = "eyJhbGciOiJIUzI1NiJ9.service-role-key"


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    logger = logging.getLogger("test.supajobs.json")
    logger.propagate = False
    configure_logging(logging.DEBUG, stream, logger, known_secrets=[SERVICE_KEY])
    yield logger, stream
    logger.handlers.clear()


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_job_line_carries_the_job_fields(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    payload = {"mailbox": "receipts", "since": "2026-11-01"}
    logger.info("job finished", extra=job_fields(job_id=7, job_type="email_scan", attempt=2,
                                                 worker_id="w-1", payload=payload,
                                                 duration_ms=12.3456))
    [entry] = lines(stream)
    assert entry["message"] == "job finished" and entry["level"] == "info"
    assert {k: entry[k] for k in ("job_id", "job_type", "attempt", "worker_id", "duration_ms")} \
        == {"job_id": 7, "job_type": "email_scan", "attempt": 2, "worker_id": "w-1",
            "duration_ms": 12.346}
    assert entry["payload_bytes"] == payload_size(payload) == len(json.dumps(
        payload, separators=(",", ":")))
    assert "receipts" not in stream.getvalue(), "payload contents never reach the log"


def test_payload_passed_directly_is_reduced_to_its_size(
        logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    logger.info("claimed", extra={"job_id": 1, "payload": {"note": "private text"}})
    [entry] = lines(stream)
    assert entry["payload_bytes"] == payload_size({"note": "private text"})
    assert "payload" not in entry and "private text" not in stream.getvalue()


def test_secret_keys_are_redacted_at_any_depth(
        logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    logger.warning("calling %s", {"url": "https://x", "Authorization": "Bearer abc"},
                   extra={"password": "hunter2", "config": {"imap": {"oauth_token": "t0k"},
                                                            "host": "mail"}})
    [entry] = lines(stream)
    assert entry["password"] == REDACTED
    assert entry["config"] == {"imap": {"oauth_token": REDACTED}, "host": "mail"}
    assert "Bearer abc" not in str(entry["message"]) and REDACTED in str(entry["message"])
    for leaked in ("hunter2", "t0k", "Bearer abc"):
        assert leaked not in stream.getvalue()


def test_known_secret_values_are_masked_in_message_text(
        logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    logger.error("connect failed with key %s", SERVICE_KEY)
    [entry] = lines(stream)
    assert entry["message"] == f"connect failed with key {REDACTED}"
    assert SERVICE_KEY not in stream.getvalue()


def test_exceptions_are_logged_as_one_json_line(
        logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    try:
        raise RuntimeError("handler broke")
    except RuntimeError:
        logger.exception("job failed", extra={"job_id": 3})
    [entry] = lines(stream)
    assert "RuntimeError: handler broke" in str(entry["exception"])


def test_configure_twice_keeps_one_handler(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    configure_logging(logging.INFO, stream, logger)
    logger.info("once")
    assert len(lines(stream)) == 1
