"""`supajobs-worker serve` (webhook worker under uvicorn) and `supajobs-worker listen`.

Handlers are registered by importing modules: `--import myapp.jobs` (repeatable) or
SUPAJOBS_WORKER_IMPORTS=myapp.jobs,other.jobs.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import signal
from collections.abc import Sequence

from supajobs.errors import ConfigurationError
from supajobs_worker.config import WorkerConfig
from supajobs_worker.heap import freeze_startup_heap
from supajobs_worker.isolated import preload
from supajobs_worker.observability.alerts import (
    URL_ENV,
    register_alert_handler,
    webhook_url_from_env,
)
from supajobs_worker.observability.logging import configure_logging
from supajobs_worker.observability.tracing import configure_tracing
from supajobs_worker.registry import REGISTRY

DASHBOARD_TOKEN_ENV = "SUPAJOBS_DASHBOARD_TOKEN"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="supajobs-worker",
                                     description="Run supajobs handlers: webhook or listen mode.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="HTTP webhook worker (pg_net wakes it)")
    serve.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    listen = sub.add_parser("listen", help="LISTEN/NOTIFY worker (needs a database URL)")
    for command in (serve, listen):
        command.add_argument("--import", dest="imports", action="append", default=[],
                             metavar="MODULE", help="module that registers handlers")
        command.add_argument("--database-url", help="default: $SUPAJOBS_DATABASE_URL")
        command.add_argument("--webhook-secret", action="append", default=None,
                             help="default: $SUPAJOBS_WEBHOOK_SECRET (comma-separated)")
        command.add_argument("--worker-id")
        command.add_argument("--concurrency", type=int)
        command.add_argument("--lease-seconds", type=int)
        command.add_argument("--memory-threshold", type=float, dest="memory_threshold_percent")
        command.add_argument("--shutdown-grace", type=float, dest="shutdown_grace_seconds")
        command.add_argument("--job-types", help="comma-separated (default: all with handlers)")
        command.add_argument("--log-level", default="INFO")
    listen.add_argument("--listen-url", help="direct URL for LISTEN when --database-url is "
                        "a transaction pooler (default: $SUPAJOBS_LISTEN_URL)")
    return parser


def load_config(args: argparse.Namespace) -> WorkerConfig:
    imports = [*os.environ.get("SUPAJOBS_WORKER_IMPORTS", "").split(","), *args.imports]
    modules = [m.strip() for m in imports if m.strip()]
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise ConfigurationError(f"cannot import handler module {module!r}: {exc}") from exc
    preload(modules)  # isolated handler processes start with them already imported
    if os.environ.get(URL_ENV, "").strip() and REGISTRY.get("alert_notify") is None:
        try:
            register_alert_handler(REGISTRY, webhook_url_from_env())
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from exc
    job_types = None
    if args.job_types:
        job_types = tuple(t.strip() for t in args.job_types.split(",") if t.strip())
    secrets = tuple(args.webhook_secret) if args.webhook_secret else None
    return WorkerConfig.from_env(
        database_url=args.database_url, listen_url=getattr(args, "listen_url", None),
        webhook_secrets=secrets, worker_id=args.worker_id,
        concurrency=args.concurrency, lease_seconds=args.lease_seconds, job_types=job_types,
        memory_threshold_percent=args.memory_threshold_percent,
        shutdown_grace_seconds=args.shutdown_grace_seconds)


def _serve(config: WorkerConfig, host: str, port: int, log_level: str) -> None:
    import uvicorn

    from supajobs_worker.app import create_app
    from supajobs_worker.dashboard.mount import dashboard_mount

    # uvicorn turns SIGTERM into a graceful stop; the app's lifespan then drains the jobs.
    token = os.environ.get(DASHBOARD_TOKEN_ENV, "").strip() or None
    if token is not None and len(token) < 16:
        raise ConfigurationError(f"{DASHBOARD_TOKEN_ENV} must have at least 16 characters")
    mounts = [] if token is None else [dashboard_mount(config, token)]
    app = create_app(config, mounts=mounts)
    freeze_startup_heap()
    uvicorn.run(app, host=host, port=port, log_level=log_level.lower(),
                timeout_graceful_shutdown=5)


async def _listen(config: WorkerConfig) -> None:
    from supajobs_worker.listen import run_listener

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await run_listener(config, stop)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # JSON lines; secrets the process knows are redacted wherever they would appear.
    known = [v for k in ("SUPABASE_SERVICE_ROLE_KEY", "SUPAJOBS_WEBHOOK_SECRET", URL_ENV,
                         DASHBOARD_TOKEN_ENV) for v in os.environ.get(k, "").split(",") if v]
    configure_logging(args.log_level.upper(), known_secrets=known)
    provider = None
    try:
        provider = configure_tracing()  # off unless SUPAJOBS_TRACING / an OTLP endpoint
        config = load_config(args)
        if args.command == "serve":
            if not config.webhook_secrets:
                raise ConfigurationError("serve needs a webhook secret (--webhook-secret or "
                                         "SUPAJOBS_WEBHOOK_SECRET)")
            _serve(config, args.host, args.port, args.log_level)
        else:
            freeze_startup_heap()
            asyncio.run(_listen(config))
    except ConfigurationError as exc:
        parser.error(str(exc))
    finally:
        if provider is not None:
            provider.shutdown()  # flushes the spans still batched
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
