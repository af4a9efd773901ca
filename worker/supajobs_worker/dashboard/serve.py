"""`supajobs dashboard`: serve the dashboard alone (outside a worker) with uvicorn.

The connection comes from the environment like every SDK client (SUPABASE_URL +
SUPABASE_SERVICE_ROLE_KEY, or SUPAJOBS_DATABASE_URL); the token from SUPAJOBS_DASHBOARD_TOKEN,
falling back to the service-role key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import uvicorn
from starlette.applications import Starlette

from supajobs import AsyncJobsClient
from supajobs.config import ENV_HELP
from supajobs_worker.dashboard.app import build_dashboard_app

TOKEN_ENV = "SUPAJOBS_DASHBOARD_TOKEN"


def dashboard_token(env: Mapping[str, str]) -> str:
    token = env.get(TOKEN_ENV, "").strip() or env.get("SUPABASE_SERVICE_ROLE_KEY", "").strip()
    if not token:
        raise ValueError(f"set {TOKEN_ENV} (or SUPABASE_SERVICE_ROLE_KEY) to protect the dashboard")
    return token


def app_from_env(env: Mapping[str, str] | None = None, *, poll_seconds: float = 5.0) -> Starlette:
    env = dict(os.environ if env is None else env)
    if not (env.get("SUPABASE_URL", "").strip() or env.get("SUPAJOBS_DATABASE_URL", "").strip()):
        raise ValueError(f"no supajobs connection configured: {ENV_HELP}")
    return build_dashboard_app(lambda: AsyncJobsClient.from_env(env), dashboard_token(env),
                               poll_seconds=poll_seconds)


def serve(host: str = "127.0.0.1", port: int = 8090, env: Mapping[str, str] | None = None,
          poll_seconds: float = 5.0) -> None:
    uvicorn.run(app_from_env(env, poll_seconds=poll_seconds), host=host, port=port,
                log_level="info", timeout_graceful_shutdown=5)  # open live streams
