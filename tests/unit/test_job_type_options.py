"""Declared job-type options: checked like the table checks them, compared option by option."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from supajobs import JobTypeInfo, JobTypeOptions, Priority
from supajobs.errors import PermissionDeniedError, TransientError
from supajobs.job_type_options import differences
from supajobs_worker import declare
from supajobs_worker.registry import Registry


def stored(**kw: Any) -> JobTypeInfo:
    now = dt.datetime.now(dt.UTC)
    base: dict[str, Any] = {"name": "t", "default_priority": "medium", "max_attempts": 5,
                            "timeout_seconds": 300, "backoff_base_seconds": 10,
                            "backoff_cap_seconds": 3600, "concurrency_limit": None,
                            "heavy": False, "consecutive_failures": 0, "created_at": now,
                            "updated_at": now}
    return JobTypeInfo(**{**base, **kw})


@pytest.mark.parametrize(("kw", "field"), [
    ({"max_attempts": 0}, "max_attempts"), ({"max_attempts": 6}, "max_attempts"),
    ({"timeout_seconds": 1801}, "timeout_seconds"), ({"concurrency_limit": 0},
                                                      "concurrency_limit"),
    ({"backoff_base_seconds": 0}, "backoff_base_seconds"), ({"priority": "x"}, "priority"),
    ({"backoff_base_seconds": 60, "backoff_cap_seconds": 30}, "backoff_cap_seconds"),
])
def test_bad_options_are_named(kw: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        JobTypeOptions(**kw)


def test_defaults_match_a_stored_new_type_and_differences_are_listed() -> None:
    assert differences(stored(), JobTypeOptions()) == {}
    declared = JobTypeOptions(default_priority=Priority.HIGH, concurrency_limit=2)
    assert differences(stored(), declared) == {"default_priority": ("medium", "high"),
                                               "concurrency_limit": (None, 2)}


def test_registry_keeps_declarations_and_refuses_a_wrong_kind() -> None:
    registry = Registry()
    registry.handler("b", options=JobTypeOptions(max_attempts=2))(lambda p, c: None)
    registry.handler("a")(lambda p, c: None)
    assert registry.declarations() == {"a": None, "b": JobTypeOptions(max_attempts=2)}
    with pytest.raises(TypeError, match=r"options for c must be a supajobs\.JobTypeOptions"):
        registry.handler("c", options={"max_attempts": 2})  # type: ignore[arg-type]


class FlakyJobTypes:
    def __init__(self, failures: list[Exception]) -> None:
        self.failures, self.calls = failures, 0

    async def ensure(self, declared: Any) -> list[Any]:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return []


class FakeClient:
    def __init__(self, failures: list[Exception]) -> None:
        self.job_types = FlakyJobTypes(failures)


async def test_an_unreachable_database_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []

    async def no_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", no_sleep)
    fake = FakeClient([TransientError("down"), TransientError("down")])
    await declare.keep_declaring(fake, {"a": None})  # type: ignore[arg-type]
    assert fake.job_types.calls == 3 and sleeps == [1.0, 2.0]


async def test_a_permanent_error_stops_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeClient([PermissionDeniedError("use the service-role key")])
    await declare.keep_declaring(fake, {"a": None})  # type: ignore[arg-type]
    assert fake.job_types.calls == 1
    assert "job types a could not be declared: use the service-role key" in caplog.text
