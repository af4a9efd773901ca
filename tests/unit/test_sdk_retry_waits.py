"""with_retry: the first try runs without tenacity; retries keep the documented waits."""

from __future__ import annotations

import asyncio

import pytest

from supajobs.errors import TransientError, ValidationError
from supajobs.retry import RetryPolicy, with_retry


async def test_waits_double_from_the_first_retry_and_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(round(seconds, 6))

    monkeypatch.setattr(asyncio, "sleep", fake_sleep)
    tries = 0

    async def flaky() -> str:
        nonlocal tries
        tries += 1
        if tries < 5:
            raise TransientError("connection reset", applied=None)
        return "ok"

    policy = RetryPolicy(attempts=5, initial_wait=0.2, max_wait=1.0, jitter=0)
    assert await with_retry(policy, True, flaky) == "ok"
    assert tries == 5 and waits == [0.2, 0.4, 0.8, 1.0]


async def test_no_retry_for_what_may_have_been_applied_or_is_not_transient() -> None:
    calls = 0

    async def fails(exc: Exception) -> None:
        nonlocal calls
        calls += 1
        raise exc

    policy = RetryPolicy(attempts=3, initial_wait=0, max_wait=0, jitter=0)
    with pytest.raises(TransientError):
        await with_retry(policy, False, lambda: fails(TransientError("reset", applied=None)))
    with pytest.raises(ValidationError):
        await with_retry(policy, True, lambda: fails(ValidationError("bad", field="x", code="SJ105")))
    assert calls == 2
