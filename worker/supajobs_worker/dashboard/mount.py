"""The operators' dashboard as a sub-app of the webhook worker, under /dashboard."""

from __future__ import annotations

from supajobs.client import AsyncJobsClient
from supajobs_worker.app import SubApp
from supajobs_worker.config import WorkerConfig
from supajobs_worker.dashboard.app import build_dashboard_app


def dashboard_mount(config: WorkerConfig, token: str) -> SubApp:
    """The dashboard behind `token`, with its own clients closed when the worker stops."""
    dashboard = build_dashboard_app(lambda: AsyncJobsClient(config.transport()), token)
    return SubApp("/dashboard", dashboard, dashboard.state.clients.aclose)
