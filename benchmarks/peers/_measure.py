"""The timed parts: enqueue rates, processing rate, wake latency (each given a system)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from _latency import percentiles, read
from _systems import System, payloads

POLL_SECONDS = 0.02


async def enqueue_rate(system: System, jobs: int, per_call: int) -> float:
    """jobs/s for one client enqueueing `jobs` jobs, `per_call` at a time (1 = one per call)."""
    await system.open()
    try:
        started = time.perf_counter()
        for first in range(0, jobs, per_call):
            if per_call == 1:
                await system.enqueue_one({"n": first})
            else:
                await system.enqueue_many(payloads(first, min(per_call, jobs - first)))
        return jobs / (time.perf_counter() - started)
    finally:
        await system.close()


def wait_drained(system: System, timeout: float) -> float:
    """Poll until nothing is pending; returns the perf_counter time it was first seen empty."""
    deadline = time.monotonic() + timeout
    while system.pending() > 0:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{system.name}: jobs still pending after {timeout:g} s")
        time.sleep(POLL_SECONDS)
    return time.perf_counter()


async def warm_up(system: System) -> None:
    """One job end to end: the worker is connected and listening."""
    await system.open()
    try:
        await system.enqueue_one({"n": -1})
    finally:
        await system.close()
    wait_drained(system, 60)
    deadline = time.monotonic() + 10
    while system.done() < 1:  # the completion may still be buffered after the row is gone
        if time.monotonic() > deadline:
            raise RuntimeError(f"{system.name}: warm-up job not recorded as done")
        time.sleep(POLL_SECONDS)


async def process_rate(system: System, jobs: int, timeout: float) -> float:
    """Seed `jobs` in one transaction while the worker idles; jobs/s from commit to drained.

    Drained = no job of the system left queued or running (each system's own tables);
    afterwards every job must be recorded done (supajobs: succeeded + one completed attempt).
    """
    await system.open()
    try:
        await system.seed(jobs)
    finally:
        await system.close()
    committed = time.perf_counter()
    drained = wait_drained(system, timeout)
    deadline = time.monotonic() + 10
    while (done := system.done()) < jobs:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{system.name}: only {done} of {jobs} jobs recorded done")
        time.sleep(POLL_SECONDS)
    if done != jobs:
        raise RuntimeError(f"{system.name}: {done} jobs done, expected {jobs}")
    return jobs / (drained - committed)


async def wake_latency(system: System, latency_file: Path, jobs: int,
                       rate: float) -> dict[str, float]:
    """`jobs` jobs, one per call at `rate`/s, to an idle worker; handler-start latency (ms)."""
    latency_file.unlink(missing_ok=True)
    await system.open()
    try:
        started = time.perf_counter()
        for i in range(jobs):
            delay = started + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await system.enqueue_one({"n": i, "t": time.time()})
    finally:
        await system.close()
    deadline = time.monotonic() + 30
    while len(values := read(latency_file)) < jobs:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{system.name}: {len(values)} of {jobs} wake-ups seen")
        await asyncio.sleep(0.05)
    return percentiles(values)
