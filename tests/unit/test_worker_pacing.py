"""How the loop is paced: slots free when handlers return, results wait in a bounded batch,
leases are beaten until the write, batches go out at once when no handler runs."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from prometheus_client import generate_latest
from pydantic import BaseModel

from supajobs_worker.config import WorkerConfig
from supajobs_worker.lease import beat_once
from supajobs_worker.registry import JobContext, Registry
from supajobs_worker.service import WorkerService
from unit.test_worker_runner import outcomes, queue_of, settle
from unit.worker_fakes import RecordingTransport, client, job_row


class Invoice(BaseModel):
    yen: int


class GatedTransport(RecordingTransport):
    """complete_jobs waits for `gate`: results stay unwritten while the test looks."""

    def __init__(self, gate: asyncio.Event, **responders: Any) -> None:
        super().__init__(**responders)
        self.gate = gate

    async def call(self, fn: str, args: Mapping[str, Any]) -> Any:
        if fn == "complete_jobs":
            self.calls.append((fn, dict(args)))
            await self.gate.wait()
            return self.responders[fn](args)
        return await super().call(fn, args)


def make(transport: RecordingTransport, *, concurrency: int,
         flush_interval: float = 0.005) -> WorkerService:
    registry = Registry()

    @registry.handler("unit_job", payload=Invoice)
    async def run(payload: Invoice, ctx: JobContext) -> dict[str, int]:
        return {"yen": payload.yen}

    config = WorkerConfig(database_url="postgresql://unused", worker_id="unit",
                          concurrency=concurrency, report_interval_seconds=3600,
                          flush_interval_seconds=flush_interval)
    return WorkerService(config, registry, mode="listen", client=client(transport))


def completed_ids(transport: RecordingTransport) -> list[int]:
    return [i["job_id"] for c in transport.named("complete_jobs") for i in c["completions"]]


async def test_claims_go_on_while_results_wait_but_only_up_to_the_cap() -> None:
    gate = asyncio.Event()
    transport = GatedTransport(gate, claim_work=queue_of(*(job_row(i, yen=i) for i in (1, 2, 3))),
                               complete_jobs=outcomes("completions", "completed"),
                               heartbeat=lambda args: [{"job_id": i, "status": "lost",
                                                        "lease_expires_at": None}
                                                       for i in args["job_ids"]])
    service = make(transport, concurrency=1)
    await service.start()
    for _ in range(100):
        await asyncio.sleep(0.01)
        if len(transport.named("complete_jobs")) == 2:
            break
    runner = service.runner
    # Job 2 was claimed although job 1's result is unwritten; job 3 waits for a write.
    assert completed_ids(transport) == [1, 2]
    assert sorted(runner.in_flight) == [1, 2] and runner.handling == 0
    assert [c["batch_size"] for c in transport.named("claim_work")] == [1, 1]
    await beat_once(runner)  # both leases are still kept alive ...
    assert transport.named("heartbeat")[-1]["job_ids"] == [1, 2]
    # ... and "lost" there (e.g. written a moment ago) cancels no finished handler
    assert all(r.recording and r.stop_reason is None for r in runner.in_flight.values())
    runner.stop_job(1, "lost")  # a finished handler is never cancelled
    assert not runner.in_flight[1].task.cancelled()
    gate.set()
    await settle(service)
    assert sorted(completed_ids(transport)) == [1, 2, 3]  # each exactly once
    assert runner.metrics.of("unit_job").completed == 3
    assert runner.metrics.of("unit_job").lost == 0
    await service.stop()


async def test_a_batch_goes_out_at_once_when_no_handler_is_left_running() -> None:
    transport = RecordingTransport(claim_work=queue_of(*(job_row(i, yen=i) for i in range(1, 4))),
                                   complete_jobs=outcomes("completions", "completed"))
    service = make(transport, concurrency=8, flush_interval=60.0)  # the timer would wait 60 s
    await service.start()
    await settle(service)
    assert completed_ids(transport) == [1, 2, 3]
    assert len(transport.named("complete_jobs")) == 1
    assert not service.runner.in_flight
    await service.stop()


async def test_malformed_outcome_rows_leave_the_job_to_its_lease() -> None:
    transport = RecordingTransport(claim_work=queue_of(job_row(4, yen=4)),
                                   complete_jobs=lambda args: [{"unexpected": True}])
    service = make(transport, concurrency=2)
    await service.start()
    await settle(service)
    runner = service.runner
    assert completed_ids(transport) == [4]
    assert not runner.in_flight and runner.handling == 0  # the slot is not leaked
    assert runner.metrics.of("unit_job").completed == 0
    await service.stop()


async def test_job_counters_are_plain_numbers_rendered_as_prometheus_metrics() -> None:
    transport = RecordingTransport()
    metrics = make(transport, concurrency=1).runner.metrics
    assert metrics.of("a") is metrics.of("a") and metrics.of("a") is not metrics.of("b")
    stats = metrics.of("a")
    stats.started += 2
    stats.completed += 1
    for seconds in (0.005, 0.2, 4000.0):  # on a bound, inside, beyond the last bound
        stats.observe(seconds)
    metrics.fail("a", "error")
    metrics.fail("a", "error")
    text = generate_latest(metrics.registry).decode()
    for line in ('supajobs_jobs_started_total{job_type="a"} 2.0',
                 'supajobs_jobs_completed_total{job_type="a"} 1.0',
                 'supajobs_jobs_lost_total{job_type="a"} 0.0',
                 'supajobs_jobs_failed_total{job_type="a",reason="error"} 2.0',
                 'supajobs_job_duration_seconds_bucket{job_type="a",le="0.005"} 1.0',
                 'supajobs_job_duration_seconds_bucket{job_type="a",le="0.25"} 2.0',
                 'supajobs_job_duration_seconds_bucket{job_type="a",le="1800.0"} 2.0',
                 'supajobs_job_duration_seconds_bucket{job_type="a",le="+Inf"} 3.0',
                 'supajobs_job_duration_seconds_count{job_type="a"} 3.0',
                 'supajobs_job_duration_seconds_sum{job_type="a"} 4000.205'):
        assert line in text, line
