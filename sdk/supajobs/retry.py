"""Retries of transient failures with tenacity: bounded, exponential with jitter.

A call that is not idempotent is retried only when the failure proves it was not applied
(serialization failure, pool exhausted, PostgREST never reached the database) or when the
caller made it idempotent (enqueue with an idempotency key).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from supajobs.errors import TransientError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4           # total tries, the first included
    initial_wait: float = 0.2   # seconds before the first retry
    max_wait: float = 3.0
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"attempts must be at least 1, got {self.attempts}")
        if self.initial_wait < 0 or self.max_wait < 0 or self.jitter < 0:
            raise ValueError("waits and jitter must not be negative")


NO_RETRY = RetryPolicy(attempts=1)


def should_retry(exc: BaseException, idempotent: bool) -> bool:
    if not isinstance(exc, TransientError):
        return False
    return idempotent or exc.applied is False


async def with_retry(policy: RetryPolicy, idempotent: bool,
                     call: Callable[[], Awaitable[T]]) -> T:
    """The first try runs bare (tenacity's machinery costs tens of µs a call, and almost every
    call succeeds); a retryable failure hands the remaining tries to tenacity, with the same
    waits as if tenacity had run them all: initial_wait * 2^(n-1), capped, plus jitter."""
    try:
        return await call()
    except TransientError as exc:
        if policy.attempts == 1 or not should_retry(exc, idempotent):
            raise
    await asyncio.sleep(min(policy.initial_wait, policy.max_wait)
                        + random.uniform(0, policy.jitter))
    retrying = AsyncRetrying(
        stop=stop_after_attempt(policy.attempts - 1),
        # the first of these tries is overall try 2, so each wait is one doubling further on
        wait=wait_exponential(multiplier=2 * policy.initial_wait, max=policy.max_wait)
        + wait_random(0, policy.jitter),
        retry=retry_if_exception(lambda exc: should_retry(exc, idempotent)),
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            return await call()
    raise AssertionError("unreachable: tenacity reraises the last error")  # pragma: no cover
