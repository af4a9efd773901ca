"""Tracing set-up for the worker process: off by default, OTLP over HTTP when configured.

SUPAJOBS_TRACING=otlp, or an OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, turns it on (the exporter
reads the standard OTEL_EXPORTER_OTLP_* variables: endpoint, headers, timeout);
SUPAJOBS_TRACING=off keeps it off whatever else is set. It needs `pip install
'supajobs[otel]'` (opentelemetry-sdk and the OTLP exporter); without them only the API's
no-op is there and nothing is traced.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from opentelemetry import trace

from supajobs.errors import ConfigurationError

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

log = logging.getLogger("supajobs_worker.tracing")
MODE_ENV = "SUPAJOBS_TRACING"
ENDPOINT_ENVS = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
MODES = ("off", "otlp")
DEFAULT_SERVICE = "supajobs-worker"


def tracing_mode(env: Mapping[str, str]) -> str:
    """'otlp' or 'off', from SUPAJOBS_TRACING and the OTLP endpoint variables."""
    raw = env.get(MODE_ENV, "").strip().lower()
    if raw and raw not in MODES:
        raise ConfigurationError(f"{MODE_ENV} must be one of {', '.join(MODES)}, got {raw!r}")
    if raw:
        return raw
    return "otlp" if any(env.get(k, "").strip() for k in ENDPOINT_ENVS) else "off"


def configure_tracing(env: Mapping[str, str] | None = None) -> TracerProvider | None:
    """Install the OTLP exporter as the global tracer provider when tracing is on; returns
    the provider (shut it down to flush), or None when tracing is off."""
    env = os.environ if env is None else env
    if tracing_mode(env) == "off":
        return None
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import SERVICE_NAME, Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as exc:
        raise ConfigurationError(
            f"tracing is on ({MODE_ENV} or OTEL_EXPORTER_OTLP_ENDPOINT) but the OpenTelemetry "
            f"SDK is not installed: pip install 'supajobs[otel]' ({exc.name} is missing)"
        ) from None
    service = env.get("OTEL_SERVICE_NAME", "").strip() or DEFAULT_SERVICE
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    log.info("tracing on: OTLP export as service %s", service)
    return provider
