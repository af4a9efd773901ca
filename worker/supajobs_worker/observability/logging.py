"""JSON-lines logs: one object per line with the job's id, type, attempt, worker and
duration. Payload contents never reach a log (only their size), and values under keys that
look secret (token, password, authorization, ...) are redacted wherever they appear.

    configure_logging()
    log.info("job finished", extra=job_fields(job_id=7, job_type="send_invoice", attempt=1,
             worker_id="w1", payload={"...": "..."}, duration_ms=12.5))
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import IO, Any

REDACTED = "[REDACTED]"
SECRET_KEY = re.compile(
    r"secret|token|passw(or)?d|authori[sz]ation|api[_-]?key|cookie|signature|credential",
    re.IGNORECASE)
PAYLOAD_KEYS = frozenset({"payload", "result", "body"})
# Attributes every LogRecord has; anything else came from `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message"}


def payload_size(payload: Any) -> int:
    """Bytes of the payload's compact JSON text (what the database limits)."""
    return len(json.dumps(payload, separators=(",", ":"), default=str).encode())


def redact(value: Any, depth: int = 0) -> Any:
    """A copy with secret-looking keys masked and payload-like keys replaced by their size."""
    if depth > 8:
        return "[...]"
    if isinstance(value, Mapping):
        clean: dict[str, Any] = {}
        for key, item in value.items():
            name = str(key)
            if SECRET_KEY.search(name):
                clean[name] = REDACTED
            elif name in PAYLOAD_KEYS:
                clean[f"{name}_bytes"] = payload_size(item)
            else:
                clean[name] = redact(item, depth + 1)
        return clean
    if isinstance(value, list | tuple):
        return [redact(item, depth + 1) for item in value]
    return value


def job_fields(*, job_id: int, job_type: str, attempt: int | None = None,
               worker_id: str | None = None, payload: Any = None,
               duration_ms: float | None = None) -> dict[str, Any]:
    """The `extra=` of a job's log lines; the payload is reduced to payload_bytes here."""
    fields: dict[str, Any] = {"job_id": job_id, "job_type": job_type}
    if attempt is not None:
        fields["attempt"] = attempt
    if worker_id is not None:
        fields["worker_id"] = worker_id
    if payload is not None:
        fields["payload_bytes"] = payload_size(payload)
    if duration_ms is not None:
        fields["duration_ms"] = round(duration_ms, 3)
    return fields


class RedactingFilter(logging.Filter):
    """Masks secrets in `extra` fields and message arguments; `known_secrets` (the service
    key, the webhook secret, ...) are also masked wherever they appear in the message text."""

    def __init__(self, known_secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._known = [s for s in known_secrets if len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        for name in [k for k in vars(record) if k not in _STANDARD]:
            if SECRET_KEY.search(name):
                setattr(record, name, REDACTED)
            elif name in PAYLOAD_KEYS:
                setattr(record, f"{name}_bytes", payload_size(getattr(record, name)))
                delattr(record, name)
            else:
                setattr(record, name, redact(getattr(record, name)))
        if isinstance(record.args, Mapping):
            record.args = redact(record.args)
        elif isinstance(record.args, tuple):
            record.args = tuple(redact(a) for a in record.args)
        if self._known:
            text = record.getMessage()
            if any(secret in text for secret in self._known):
                for secret in self._known:
                    text = text.replace(secret, REDACTED)
                record.msg, record.args = text, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(), "logger": record.name,
            "message": record.getMessage()}
        for name, value in vars(record).items():
            if name not in _STANDARD:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: int | str = logging.INFO, stream: IO[str] | None = None,
                      logger: logging.Logger | None = None,
                      known_secrets: Iterable[str] = ()) -> logging.Handler:
    """Send `logger` (the root logger by default) to `stream` as JSON lines; idempotent."""
    target = logger or logging.getLogger()
    for old in [h for h in target.handlers if getattr(h, "_supajobs_json", False)]:
        target.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter(known_secrets))
    handler._supajobs_json = True  # type: ignore[attr-defined]
    target.addHandler(handler)
    target.setLevel(level)
    return handler
