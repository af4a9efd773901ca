"""Handler time limits kept by one timer per claimed batch and limit (deadlines.py): jobs past
their limit are recorded timed out, the others are untouched, other cancels stay cancels;
and a job stopped before its task starts (which the timer never cancels) frees its slot."""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import BaseModel

from supajobs_worker.config import WorkerConfig
from supajobs_worker.deadlines import BatchDeadline
from supajobs_worker.lease import beat_once
from supajobs_worker.registry import JobContext, Registry
from supajobs_worker.service import WorkerService
from unit.test_worker_runner import outcomes, queue_of, settle
from unit.worker_fakes import RecordingTransport, client, job_row


class Nap(BaseModel):
    seconds: float


def make(transport: RecordingTransport) -> WorkerService:
    registry = Registry()

    @registry.handler("quick", payload=Nap, timeout=0.2)
    async def quick(payload: Nap, ctx: JobContext) -> None:
        await asyncio.sleep(payload.seconds)

    @registry.handler("slow", payload=Nap, timeout=0.6)
    async def slow(payload: Nap, ctx: JobContext) -> None:
        await asyncio.sleep(payload.seconds)

    config = WorkerConfig(database_url="postgresql://unused", worker_id="unit", concurrency=8,
                          report_interval_seconds=3600)
    return WorkerService(config, registry, mode="listen", client=client(transport))


def recorded(transport: RecordingTransport, fn: str, key: str) -> dict[int, Any]:
    return {item["job_id"]: item for call in transport.named(fn) for item in call[key]}


async def test_each_limit_in_a_batch_is_kept_and_early_finishers_are_left_alone() -> None:
    transport = RecordingTransport(
        claim_work=queue_of(job_row(1, "quick", seconds=5), job_row(2, "quick", seconds=0.01),
                            job_row(3, "slow", seconds=0.4), job_row(4, "slow", seconds=5)),
        complete_jobs=outcomes("completions", "completed"),
        fail_jobs=outcomes("failures", "retry_scheduled"))
    service = make(transport)
    await service.start()
    await asyncio.sleep(1.0)
    await settle(service)
    assert sorted(recorded(transport, "complete_jobs", "completions")) == [2, 3]
    failed = recorded(transport, "fail_jobs", "failures")
    assert sorted(failed) == [1, 4]
    assert failed[1]["error"] == "timed out after 0.2 s" and failed[1]["timed_out"] is True
    assert failed[4]["error"] == "timed out after 0.6 s" and failed[4]["timed_out"] is True
    assert service.runner.metrics.of("slow").lost == 0  # a timeout is not a lost lease
    await service.stop()


async def test_a_lost_lease_stays_a_cancel_not_a_timeout() -> None:
    transport = RecordingTransport(
        claim_work=queue_of(job_row(5, "slow", seconds=5)),
        heartbeat=lambda args: [{"job_id": 5, "status": "cancelled", "lease_expires_at": None}])
    service = make(transport)
    await service.start()
    while 5 not in service.runner.in_flight:
        await asyncio.sleep(0.01)
    await beat_once(service.runner)
    await asyncio.sleep(0.8)  # past the limit: the timer finds nothing left to stop
    await settle(service)
    assert transport.named("fail_jobs") == [] and transport.named("complete_jobs") == []
    assert service.runner.metrics.of("slow").lost == 1
    await service.stop()


async def test_the_timer_is_disarmed_when_the_last_job_of_its_batch_finishes() -> None:
    fired: list[list[int]] = []
    deadline = BatchDeadline([1, 2], 0.05, fired.append)
    deadline.finished()
    await asyncio.sleep(0.1)
    assert fired == [[1, 2]]  # one job still running: the timer fires
    deadline = BatchDeadline([3, 4], 0.05, fired.append)
    deadline.finished()
    deadline.finished()
    await asyncio.sleep(0.1)
    assert fired == [[1, 2]]  # both done: nothing fires


async def test_a_job_stopped_before_its_task_starts_frees_its_slot() -> None:
    # The heartbeat can report a lease lost between the claim and the first step of the
    # job's task; cancelling a task that never started would skip its clean-up.
    transport = RecordingTransport(claim_work=queue_of(job_row(6, "quick", seconds=0.01)))
    service = make(transport)
    runner = service.runner
    runner.accepting = True
    jobs = await runner.claim()  # started, but its task has not run a step yet
    assert [j.id for j in jobs] == [6] and runner.handling == 1
    runner.stop_job(6, "lost")
    await asyncio.sleep(0.05)
    assert not runner.in_flight and runner.handling == 0  # the slot is back
    assert runner.metrics.of("quick").lost == 1
    assert transport.named("complete_jobs") == [] and transport.named("fail_jobs") == []
