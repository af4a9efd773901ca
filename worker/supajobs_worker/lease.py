"""Keep leases alive and tell the database who we are.

Every heartbeat_seconds: extend the leases of all in-flight jobs in one call and stop the
handlers whose job was cancelled or reclaimed. An idle worker beats too: each beat reaps the
leases that ran out (a dead worker's jobs) and then claims, which brings them back within
seconds even when their wake-up was lost (docs/reliability.md). Every report_interval:
jobs.report_worker.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from supajobs.errors import SupajobsError
from supajobs_worker.runner import Runner

log = logging.getLogger("supajobs_worker.lease")

async def beat_once(runner: Runner) -> None:
    ids = list(runner.in_flight)  # results waiting to be written keep their lease too
    states = await runner.client.worker.heartbeat(runner.worker_id, ids,
                                                  runner.config.lease_seconds)
    for state in states:
        running = runner.in_flight.get(state.job_id)
        # A result being written may have been written just now: not a lost lease.
        if state.status != "running" and running is not None and not running.recording:
            log.warning("job %s is %s: stopping its handler", state.job_id, state.status)
            runner.stop_job(state.job_id, "lost")


async def beat_and_look(runner: Runner) -> None:
    try:
        await beat_once(runner)
    except SupajobsError as exc:  # the lease has slack for two missed beats
        log.warning("heartbeat failed: %s", exc)
    if not runner.in_flight and runner.can_claim():
        # Idle: look for work the beat just brought back, or whose wake-up was lost (a
        # dropped webhook, a NOTIFY missed while reconnecting), instead of waiting for the
        # sweeper.
        runner.wake()


async def report(runner: Runner, mode: str, *, stopped: bool = False) -> None:
    stats: dict[str, Any] = {"mode": mode, "in_flight": len(runner.in_flight),
                             "capacity": runner.config.concurrency,
                             "accepting": runner.accepting and not stopped, "stopped": stopped}
    stats.update(runner.monitor.sample().as_stats())
    if not stopped:  # an operator may have changed a type's flow limits meanwhile
        await runner.flow.learn()
    runner.metrics.accepting.set(1 if stats["accepting"] else 0)
    try:
        await runner.client.call_raw("report_worker",
                                     {"worker_id": runner.worker_id, "stats": stats})
    except SupajobsError as exc:  # reporting is for operators; never stop work for it
        log.warning("report_worker failed: %s", exc)


async def keep_alive(runner: Runner, mode: str) -> None:
    """Run until cancelled."""
    last_report = 0.0
    while True:
        await beat_and_look(runner)
        if time.monotonic() - last_report >= runner.config.report_interval_seconds:
            last_report = time.monotonic()
            await report(runner, mode)
        await asyncio.sleep(runner.config.heartbeat_seconds)
