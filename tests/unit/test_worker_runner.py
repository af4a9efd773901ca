"""The claim / execute / record loop against a recording transport (no database)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from supajobs_worker.config import WorkerConfig
from supajobs_worker.lease import beat_and_look, beat_once
from supajobs_worker.registry import JobContext, Registry
from supajobs_worker.service import WorkerService
from unit.worker_fakes import RecordingTransport, client, job_row


class Invoice(BaseModel):
    yen: int


def make_service(transport: RecordingTransport, *, concurrency: int = 4,
                 grace: float = 5.0) -> tuple[WorkerService, asyncio.Event]:
    registry, gate = Registry(), asyncio.Event()

    @registry.handler("unit_job", payload=Invoice)
    async def run(payload: Invoice, ctx: JobContext) -> dict[str, int]:
        if payload.yen < 0:
            await gate.wait()
        return {"yen": payload.yen}

    config = WorkerConfig(database_url="postgresql://unused", worker_id="unit",
                          concurrency=concurrency, shutdown_grace_seconds=grace,
                          report_interval_seconds=3600)
    return WorkerService(config, registry, mode="listen", client=client(transport)), gate


def queue_of(*rows: dict[str, Any]) -> Any:
    pending = list(rows)

    def claim(args: Mapping[str, Any]) -> list[dict[str, Any]]:
        taken, pending[:] = pending[: args["batch_size"]], pending[args["batch_size"]:]
        return taken

    return claim


def outcomes(key: str, outcome: str) -> Any:
    return lambda args: [{"job_id": i["job_id"], "outcome": outcome} for i in args[key]]


async def settle(service: WorkerService) -> None:
    for _ in range(100):
        await asyncio.sleep(0.01)
        if not service.runner.in_flight and service.runner.pump.idle:
            return


async def test_keeps_claiming_until_empty_and_batches_results() -> None:
    transport = RecordingTransport(
        claim_work=queue_of(*(job_row(i, yen=i) for i in range(1, 7))),
        complete_jobs=outcomes("completions", "completed"))
    service, _ = make_service(transport, concurrency=4)
    await service.start()
    await settle(service)
    claims = transport.named("claim_work")
    assert [c["batch_size"] for c in claims][:1] == [4] and len(claims) >= 3
    assert all(c["job_types"] == ["unit_job"] for c in claims)
    done = [i for c in transport.named("complete_jobs") for i in c["completions"]]
    assert sorted(i["job_id"] for i in done) == [1, 2, 3, 4, 5, 6]
    assert len(transport.named("complete_jobs")) < 6  # several per call
    assert {i["job_id"]: i["result"] for i in done}[5] == {"yen": 5}
    await service.stop()


async def test_invalid_payload_fails_without_retry() -> None:
    transport = RecordingTransport(claim_work=queue_of(job_row(9, note="no yen")),
                                   fail_jobs=outcomes("failures", "dead"))
    service, _ = make_service(transport)
    await service.start()
    await settle(service)
    (failure,) = transport.named("fail_jobs")[0]["failures"]
    assert failure["retryable"] is False and failure["attempt"] == 1
    assert "invalid payload for unit_job" in failure["error"] and "yen" in failure["error"]
    await service.stop()


async def test_a_cancelled_job_stops_its_handler_and_records_nothing() -> None:
    transport = RecordingTransport(
        claim_work=queue_of(job_row(3, yen=-1)),
        heartbeat=lambda args: [{"job_id": 3, "status": "cancelled", "lease_expires_at": None}])
    service, _ = make_service(transport)
    await service.start()
    while 3 not in service.runner.in_flight:
        await asyncio.sleep(0.01)
    await beat_once(service.runner)
    await settle(service)
    assert not service.runner.in_flight
    assert transport.named("complete_jobs") == [] and transport.named("fail_jobs") == []
    assert service.runner.metrics.of("unit_job").lost == 1
    await service.stop()


async def test_shutdown_finishes_what_it_can_and_releases_the_rest() -> None:
    transport = RecordingTransport(
        claim_work=queue_of(job_row(1, yen=1), job_row(2, yen=-1)),
        complete_jobs=outcomes("completions", "completed"),
        release_jobs=lambda args: [{"job_id": i, "outcome": "released"} for i in args["job_ids"]])
    service, _ = make_service(transport, grace=0.1)
    await service.start()
    while 2 not in service.runner.in_flight:
        await asyncio.sleep(0.01)
    released = await service.stop()
    assert released == [2]
    assert transport.named("release_jobs") == [{"worker_id": "unit", "job_ids": [2]}]
    assert [i["job_id"] for c in transport.named("complete_jobs") for i in c["completions"]] == [1]
    assert transport.named("fail_jobs") == []  # a release is not a failure
    assert transport.named("report_worker")[-1]["stats"]["stopped"] is True


async def test_an_idle_worker_beats_and_then_looks_for_work_nobody_announced() -> None:
    # A dead worker's job came back (or its wake-up was lost): no webhook, no NOTIFY.
    transport = RecordingTransport(claim_work=queue_of(job_row(7, yen=5)),
                                   heartbeat=lambda args: [])
    service, _ = make_service(transport)
    service.runner.accepting = True
    await beat_and_look(service.runner)
    await settle(service)
    assert transport.named("heartbeat")[0]["job_ids"] == []  # the beat that reaps
    assert [c["job_id"] for c in transport.named("complete_jobs")[0]["completions"]] == [7]


async def test_a_busy_worker_only_beats() -> None:
    transport = RecordingTransport(claim_work=queue_of(job_row(3, yen=-1), job_row(4, yen=1)),
                                   heartbeat=lambda args: [{"job_id": 3, "status": "running",
                                                            "lease_expires_at": None}])
    service, gate = make_service(transport)
    await service.start()
    while 3 not in service.runner.in_flight:
        await asyncio.sleep(0.01)
    claims = len(transport.named("claim_work"))
    await beat_and_look(service.runner)
    assert len(transport.named("claim_work")) == claims
    gate.set()
    await service.stop()
