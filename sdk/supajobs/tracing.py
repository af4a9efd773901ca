"""Trace context carried with a job: the enqueue's W3C traceparent (and tracestate), stored in
jobs.jobs.trace_context, so the worker's claim / run / complete spans continue the producer's
trace.

Only opentelemetry-api is needed here (a no-op without an SDK). With no tracer provider set
(the default) no span is made, and a job carries a trace context only when the caller is
already inside a valid span (one extracted from an incoming request, say).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import AbstractContextManager
from types import TracebackType

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

TRACER_NAME = "supajobs"
SYSTEM = "supajobs"  # messaging.system of every span
MAX_LENGTH = 600     # jobs._is_trace_context: the database refuses longer ones
_FORMAT = re.compile(r"[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}( [ -~]+)?")
_W3C = TraceContextTextMapPropagator()  # always W3C, whatever the global propagator is
_cached: tuple[object, trace.Tracer] | None = None


def valid_trace_context(value: object) -> bool:
    """The rule of jobs._is_trace_context: '<traceparent>[ <tracestate>]', ≤ 600 characters."""
    return (isinstance(value, str) and len(value) <= MAX_LENGTH
            and _FORMAT.fullmatch(value) is not None)


def tracer() -> trace.Tracer | None:
    """The tracer of the configured provider, or None while none is (tracing is off)."""
    global _cached
    provider = trace.get_tracer_provider()
    if isinstance(provider, trace.ProxyTracerProvider | trace.NoOpTracerProvider):
        return None
    if _cached is None or _cached[0] is not provider:
        _cached = (provider, provider.get_tracer(TRACER_NAME))
    return _cached[1]


def serialize(ctx: otel_context.Context | None = None) -> str | None:
    """The context's span as stored with a job, or None when it has no valid span."""
    if not trace.get_current_span(ctx).get_span_context().is_valid:
        return None
    carrier: dict[str, str] = {}
    _W3C.inject(carrier, context=ctx)
    parent = carrier.get("traceparent")
    if parent is None:
        return None
    state = carrier.get("tracestate", "").strip()
    text = f"{parent} {state}" if state else parent
    return text if valid_trace_context(text) else parent  # a huge tracestate is dropped


def deserialize(value: str | None) -> otel_context.Context | None:
    """The stored context as a parent for the worker's spans; None when absent or malformed."""
    if not value or not valid_trace_context(value):
        return None
    parent, _, state = value.partition(" ")
    carrier = {"traceparent": parent, **({"tracestate": state} if state else {})}
    ctx = _W3C.extract(carrier, context=otel_context.Context())
    return ctx if trace.get_current_span(ctx).get_span_context().is_valid else None


class EnqueueTrace:
    """The producer span of one enqueue call (or only the caller's context when no provider
    is set); `context` is what each job stores."""

    __slots__ = ("_scope", "_span", "context")

    def __init__(self, span: trace.Span | None, context: str | None) -> None:
        self._span, self.context = span, context
        self._scope: AbstractContextManager[trace.Span] | None = None

    def jobs(self, ids: Iterable[int]) -> None:
        if self._span is not None:
            ids = list(ids)
            self._span.set_attribute("supajobs.job_count", len(ids))
            if len(ids) == 1:
                self._span.set_attribute("supajobs.job_id", ids[0])

    def __enter__(self) -> EnqueueTrace:
        if self._span is not None:
            self._scope = trace.use_span(self._span, end_on_exit=True)
            self._scope.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._scope is not None:
            self._scope.__exit__(kind, exc, tb)


def start_enqueue(job_type: str, count: int = 1) -> EnqueueTrace | None:
    """None when there is nothing to trace: no provider and no valid span around the call."""
    found = tracer()
    if found is None:
        context = serialize()
        return None if context is None else EnqueueTrace(None, context)
    span = found.start_span(f"supajobs.enqueue {job_type}", kind=trace.SpanKind.PRODUCER,
                            attributes={"messaging.system": SYSTEM,
                                        "messaging.operation.type": "send",
                                        "supajobs.job_type": job_type,
                                        "supajobs.batch_size": count})
    return EnqueueTrace(span, serialize(trace.set_span_in_context(span)))
