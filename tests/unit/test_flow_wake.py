"""FlowWaker: only handled types with flow limits cause calls; a short claim asks when the
earliest blocked bucket frees and the pump is woken then; a finished job wakes it at once."""

from __future__ import annotations

import asyncio
from typing import Any

from supajobs_worker.flow_wake import FlowWaker
from unit.worker_fakes import RecordingTransport, client

NOW = "2026-12-08T00:00:00+00:00"


def job_type(name: str, **flow: Any) -> dict[str, Any]:
    return {"name": name, "default_priority": "medium", "max_attempts": 5,
            "timeout_seconds": 300, "backoff_base_seconds": 10, "backoff_cap_seconds": 3600,
            "concurrency_limit": None, "heavy": False, "consecutive_failures": 0,
            "created_at": NOW, "updated_at": NOW, **flow}


def transport(wait: float | None) -> RecordingTransport:
    return RecordingTransport(
        list_job_types=lambda _: [job_type("limited", key_concurrency=1),
                                  job_type("plain"), job_type("other_limited", key_concurrency=1)],
        rate_limit_wait=lambda _: wait)


async def test_a_short_claim_sets_a_wake_up_at_the_bucket_s_time() -> None:
    fake, woken = transport(0.05), []
    waker = FlowWaker(client(fake), ["limited", "plain"], lambda: woken.append(1))
    await waker.learn()
    assert waker.types == frozenset({"limited"})  # not the type another worker handles
    waker.after_claim(wanted=8, got=3)
    await asyncio.sleep(0.02)
    assert fake.named("rate_limit_wait") == [{"job_types": ["limited"]}] and woken == []
    await asyncio.sleep(0.08)
    assert woken == [1]
    waker.finished("plain")
    waker.finished("limited")
    assert woken == [1, 1]


async def test_nothing_is_asked_for_types_without_limits_or_a_full_claim() -> None:
    fake, woken = transport(None), []
    waker = FlowWaker(client(fake), ["plain"], lambda: woken.append(1))
    await waker.learn()
    waker.after_claim(wanted=8, got=0)
    limited = FlowWaker(client(fake), ["limited"], lambda: woken.append(1))
    await limited.learn()
    limited.after_claim(wanted=8, got=8)
    limited.after_claim(wanted=8, got=2)  # asks; nothing is blocked: no timer
    await asyncio.sleep(0.02)
    assert len(fake.named("rate_limit_wait")) == 1 and woken == []
    limited.stop()
