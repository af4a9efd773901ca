"""The spans of one claimed job, in the trace its enqueue started (the stored trace context):

    supajobs.enqueue <type>          (the producer, supajobs.tracing)
    ├── supajobs.claim <type>        the claim call that handed it out (its batch's times)
    └── supajobs.run <type>          the handler; current while it runs, so what it enqueues
        └── supajobs.complete|fail   the batched write of its result         joins this trace

Attributes name the job (id, type, attempt, worker) and its outcome; never the payload, the
result or an error message (they may hold personal data or secrets): only the error's type.
A job enqueued without a trace context starts a trace of its own at its claim span.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from contextlib import AbstractContextManager

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from supajobs.claimed import ClaimedJob
from supajobs.client import AsyncJobsClient
from supajobs.errors import SupajobsError
from supajobs.tracing import SYSTEM, deserialize
from supajobs_worker.execute import Verdict

log = logging.getLogger("supajobs_worker.tracing")
_TYPE_NAME = re.compile(r"([A-Za-z_][\w.]*)(?::|$)")
_ERROR_TYPES = {"timed_out": "timeout", "invalid_payload": "invalid_payload"}


def error_type(verdict: Verdict) -> str:
    """The exception's type name (execute._describe puts it first), never the message."""
    if verdict.reason in _ERROR_TYPES:
        return _ERROR_TYPES[verdict.reason]
    found = _TYPE_NAME.match(verdict.error)
    return found.group(1) if found else verdict.reason


class JobTrace:
    def __init__(self, tracer: trace.Tracer, job: ClaimedJob, parent: otel_context.Context | None,
                 claim_window: tuple[int, int], worker_id: str, batch_size: int) -> None:
        self._tracer, self._job = tracer, job
        self._common: dict[str, str | int] = {"messaging.system": SYSTEM, "supajobs.job_id": job.id,
                        "supajobs.job_type": job.job_type, "supajobs.attempt": job.attempts,
                        "supajobs.worker_id": worker_id}
        claim = tracer.start_span(f"supajobs.claim {job.job_type}", context=parent,
                                  kind=SpanKind.CONSUMER, start_time=claim_window[0],
                                  attributes={**self._common, "messaging.operation.type":
                                              "receive", "supajobs.batch_size": batch_size})
        claim.end(end_time=claim_window[1])
        # Without a stored context the claim span is the trace's root: run joins it.
        self._parent = parent or trace.set_span_in_context(claim)
        self._run: trace.Span | None = None
        self._record: trace.Span | None = None

    def running(self) -> AbstractContextManager[trace.Span]:
        """Start the run span and make it current around the handler."""
        self._run = self._tracer.start_span(
            f"supajobs.run {self._job.job_type}", context=self._parent, kind=SpanKind.CONSUMER,
            attributes={**self._common, "messaging.operation.type": "process"})
        return trace.use_span(self._run, end_on_exit=False)

    def recording(self, verdict: Verdict) -> None:
        """The handler is done; its result is about to be written."""
        run = self._run
        if run is None:
            return
        run.set_attribute("supajobs.verdict", verdict.reason)
        if not verdict.ok:
            run.set_attribute("error.type", error_type(verdict))
            run.set_status(Status(StatusCode.ERROR, verdict.reason))
        name = "complete" if verdict.ok else "fail"
        self._record = self._tracer.start_span(
            f"supajobs.{name} {self._job.job_type}", context=trace.set_span_in_context(run),
            attributes={**self._common, **({} if verdict.ok else {
                "error.type": error_type(verdict), "supajobs.retryable": verdict.retryable})})

    def written(self, outcome: str | None) -> None:
        """outcome: what the database answered (completed, retried, dead, lease_lost), or None
        when the write failed (the lease expires and the job runs again)."""
        for span in (self._record, self._run):
            if span is not None:
                span.set_attribute("supajobs.outcome", outcome or "write_failed")
                if outcome is None or outcome == "lease_lost":
                    span.set_status(Status(StatusCode.ERROR, outcome or "write_failed"))
                span.end()

    def dropped(self, reason: str | None) -> None:
        """The handler did not finish: lease lost, shutdown (released), or never started."""
        if self._run is not None:
            self._run.set_attribute("supajobs.outcome", reason or "released")
            self._run.end()


async def trace_claimed(client: AsyncJobsClient, tracer: trace.Tracer, jobs: Sequence[ClaimedJob],
                        claim_window: tuple[int, int], worker_id: str) -> dict[int, JobTrace]:
    """Read the jobs' stored trace contexts (one call) and open their spans."""
    try:
        stored = await client.worker.trace_contexts([job.id for job in jobs])
    except SupajobsError as exc:  # tracing never holds up a job: they start traces of their own
        log.warning("reading trace contexts failed: %s", exc)
        stored = {}
    return {job.id: JobTrace(tracer, job, deserialize(stored.get(job.id)), claim_window,
                             worker_id, len(jobs)) for job in jobs}
