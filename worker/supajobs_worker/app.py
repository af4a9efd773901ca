"""The webhook worker as a Starlette ASGI app: POST /webhook, GET /healthz, GET /metrics.

/webhook answers quickly (well within pg_net's timeout) with what it claimed; the jobs run
in the background and the worker keeps claiming until nothing is due.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from supajobs.errors import SupajobsError
from supajobs_worker.config import WorkerConfig
from supajobs_worker.registry import REGISTRY, Registry
from supajobs_worker.replay import ReplayCache
from supajobs_worker.service import WorkerService
from supajobs_worker.webhook import WebhookRejectedError, accept


@dataclass(frozen=True)
class SubApp:
    """An app served beside the webhook (the dashboard, say); `close` runs at shutdown,
    because Starlette runs no lifespan for a mounted app."""

    path: str
    app: Starlette
    close: Callable[[], Awaitable[None]] | None = None


def create_app(config: WorkerConfig, registry: Registry = REGISTRY, *,
               service: WorkerService | None = None,
               mounts: Sequence[SubApp] = ()) -> Starlette:
    """mounts: further apps under their paths; the engine knows nothing of what they are."""
    if not config.webhook_secrets:
        raise ValueError("the webhook worker needs a secret (SUPAJOBS_WEBHOOK_SECRET)")
    worker = service or WorkerService(config, registry, mode="webhook")
    runner = worker.runner
    replays = ReplayCache()

    def refuse(status: int, reason: str, message: str) -> JSONResponse:
        runner.metrics.webhooks.labels(reason).inc()
        return JSONResponse({"error": reason, "message": message}, status_code=status)

    async def webhook(request: Request) -> Response:
        try:
            event = await accept(request, config.webhook_secrets, config.max_body_bytes, replays)
        except WebhookRejectedError as rejected:
            return refuse(rejected.status, rejected.reason, rejected.message)
        if not runner.accepting:
            return refuse(503, "shutting_down", "this worker is stopping; another will claim")
        if runner.monitor.over_threshold():
            return refuse(503, "memory_pressure", "memory above the threshold; not claiming")
        if runner.breakers.paused:
            return refuse(503, "breaker_open", "resource breaker open ("
                          + ", ".join(runner.breakers.open_kinds()) + "); not claiming")
        try:
            claimed = await runner.claim()
        except SupajobsError as exc:
            return refuse(503, "claim_failed", f"could not claim: {exc}")
        runner.wake()  # keep claiming as slots free up, until nothing is due
        runner.metrics.webhooks.labels("accepted").inc()
        return JSONResponse({"worker_id": runner.worker_id, "event": event.get("event"),
                             "claimed": [j.id for j in claimed],
                             "in_flight": len(runner.in_flight)}, status_code=202)

    async def healthz(request: Request) -> Response:
        status = 200 if runner.accepting else 503
        return JSONResponse({"status": "ok" if runner.accepting else "stopping",
                             "worker_id": runner.worker_id, "in_flight": len(runner.in_flight),
                             "capacity": config.concurrency, "job_types": runner.job_types},
                            status_code=status)

    async def metrics(request: Request) -> Response:
        body = await runner.metrics.exposition(runner.monitor, worker.client)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    routes: list[Route | Mount] = [Route("/webhook", webhook, methods=["POST"]),
                                   Route("/healthz", healthz, methods=["GET"]),
                                   Route("/metrics", metrics, methods=["GET"])]
    routes.extend(Mount(sub.path, sub.app) for sub in mounts)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await worker.start()
        try:
            yield
        finally:
            await worker.stop()
            for sub in mounts:
                if sub.close is not None:
                    await sub.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.worker = worker
    return app
