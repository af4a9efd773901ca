"""Tracing is off unless configured; the carrier format; the sync client keeps the span."""

from __future__ import annotations

import builtins
from typing import Any

import pytest
from opentelemetry import trace

from supajobs import JobsClient
from supajobs.errors import ConfigurationError
from supajobs.tracing import deserialize, serialize, valid_trace_context
from supajobs_worker.observability.tracing import configure_tracing, tracing_mode
from support.otel import in_memory_tracing, reset
from unit.test_sdk_enqueue_wire import Recording


@pytest.mark.parametrize(("env", "mode"), [
    ({}, "off"), ({"SUPAJOBS_TRACING": "otlp"}, "otlp"),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, "otlp"),
    ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"}, "otlp"),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "SUPAJOBS_TRACING": "off"}, "off"),
])
def test_off_by_default_on_when_an_endpoint_or_the_switch_says_so(
        env: dict[str, str], mode: str) -> None:
    assert tracing_mode(env) == mode


def test_a_wrong_switch_is_named() -> None:
    with pytest.raises(ConfigurationError, match="SUPAJOBS_TRACING must be one of off, otlp"):
        tracing_mode({"SUPAJOBS_TRACING": "jaeger"})


def test_off_installs_nothing() -> None:
    reset()
    assert configure_tracing({}) is None
    assert isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)


def test_on_installs_the_otlp_exporter() -> None:
    reset()
    try:
        provider = configure_tracing({"SUPAJOBS_TRACING": "otlp", "OTEL_SERVICE_NAME": "w"})
        assert provider is not None and trace.get_tracer_provider() is provider
        assert provider.resource.attributes["service.name"] == "w"
        provider.shutdown()
    finally:
        reset()


def test_on_without_the_sdk_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def no_sdk(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("opentelemetry.sdk") or name.startswith("opentelemetry.exporter"):
            raise ImportError(f"No module named {name!r}", name=name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sdk)
    reset()
    with pytest.raises(ConfigurationError, match=r"pip install 'supajobs\[otel\]'"):
        configure_tracing({"SUPAJOBS_TRACING": "otlp"})


@pytest.mark.parametrize("value", [
    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 a=1,b=2"])
def test_valid_carriers_round_trip(value: str) -> None:
    ctx = deserialize(value)
    assert valid_trace_context(value) and ctx is not None and serialize(ctx) == value


@pytest.mark.parametrize("value", [
    "", "nope", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
    "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
    "00-00000000000000000000000000000000-b7ad6b7169203331-01",  # the invalid all-zero id
    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 " + "x" * 600])
def test_malformed_carriers_give_no_parent(value: str) -> None:
    assert deserialize(value) is None


def test_the_sync_client_carries_the_callers_span() -> None:
    transport = Recording()
    with in_memory_tracing() as exporter:
        client = JobsClient(transport)  # type: ignore[arg-type]
        try:
            with trace.get_tracer("t").start_as_current_span("caller") as caller:
                client.enqueue("email_scan", {})
        finally:
            client.close()
        enqueue = next(s for s in exporter.get_finished_spans() if s.name.startswith("supajobs"))
    [(_fn, wire)] = transport.calls
    assert enqueue.parent is not None
    assert enqueue.parent.span_id == caller.get_span_context().span_id
    assert enqueue.context is not None
    assert wire["trace_context"].startswith(f"00-{caller.get_span_context().trace_id:032x}-"
                                            f"{enqueue.context.span_id:016x}-")
