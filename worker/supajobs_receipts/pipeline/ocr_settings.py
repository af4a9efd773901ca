"""SUPAJOBS_OCR_WORKERS (reading processes per worker, default: the usable cores) and
SUPAJOBS_OCR_ENGINE, checked when the worker starts rather than in every job."""

from __future__ import annotations

from collections.abc import Callable

from supajobs.errors import ConfigurationError
from supajobs_receipts.reading import engine
from supajobs_receipts.reading.parallel import parse_jobs, usable_cores


def ocr_workers_from_env(get: Callable[[str], str | None]) -> int:
    try:
        engine.use_api()  # a wrong SUPAJOBS_OCR_ENGINE stops the start, not every job
    except engine.EngineSettingError as exc:
        raise ConfigurationError(str(exc)) from None
    raw = get("SUPAJOBS_OCR_WORKERS")
    if raw is None:
        return usable_cores()
    try:
        return parse_jobs(raw)
    except ValueError as exc:
        raise ConfigurationError(f"SUPAJOBS_OCR_WORKERS {exc}") from None
