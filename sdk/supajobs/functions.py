"""The allow-list of RPC functions the SDK may call, and how each returns its result.

Transports accept only these names, so no caller-supplied text ever becomes a function name.
`casts` types arguments whose Python value alone does not say the SQL type (arrays, jsonb).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from supajobs.errors import ConfigurationError


class Returns(Enum):
    ONE = "one"        # a composite: one row (PostgREST: a JSON object)
    MANY = "many"      # setof / table: rows (PostgREST: a JSON array)
    SCALAR = "scalar"  # a base type (PostgREST: the bare value)


@dataclass(frozen=True)
class RpcFunction:
    name: str
    returns: Returns
    idempotent: bool
    casts: dict[str, str] = field(default_factory=dict)
    schema: str = "jobs"  # an application may expose its own schema (PostgREST profile)


_JOB_IDS = {"job_ids": "bigint[]"}


def _fns(*items: RpcFunction) -> dict[str, RpcFunction]:
    return {f.name: f for f in items}


# The batch finishers are safe to repeat: each item names its attempt, so a repeat of an
# applied call answers lease_lost instead of finishing twice. Retrying them across a database
# restart avoids re-running jobs whose result was already computed.
FUNCTIONS: dict[str, RpcFunction] = _fns(
    RpcFunction("enqueue", Returns.ONE, False, {"payload": "jsonb", "depends_on": "bigint[]"}),
    RpcFunction("enqueue_batch", Returns.MANY, False, {"items": "jsonb"}),
    RpcFunction("enqueue_batch_ids", Returns.MANY, False, {"items": "jsonb"}),
    RpcFunction("claim", Returns.MANY, False, {"job_types": "text[]"}),
    RpcFunction("claim_work", Returns.MANY, False, {"job_types": "text[]"}),
    RpcFunction("heartbeat", Returns.MANY, True, _JOB_IDS),
    RpcFunction("complete", Returns.ONE, False, {"result": "jsonb", "metadata": "jsonb"}),
    RpcFunction("complete_jobs", Returns.MANY, True, {"completions": "jsonb"}),
    RpcFunction("fail", Returns.ONE, False, {"metadata": "jsonb"}),
    RpcFunction("fail_jobs", Returns.MANY, True, {"failures": "jsonb"}),
    RpcFunction("release_jobs", Returns.MANY, True, _JOB_IDS),
    RpcFunction("postpone_jobs", Returns.MANY, True, {"postponements": "jsonb"}),
    RpcFunction("rate_limit_stats", Returns.MANY, True),
    RpcFunction("rate_limit_wait", Returns.SCALAR, True, {"job_types": "text[]"}),
    RpcFunction("cancel", Returns.ONE, False),
    RpcFunction("get_job", Returns.ONE, True),
    RpcFunction("report_progress", Returns.SCALAR, True, {"updates": "jsonb"}),
    RpcFunction("running_jobs", Returns.MANY, True),
    RpcFunction("job_history", Returns.MANY, True),
    RpcFunction("list_dead_letters", Returns.MANY, True),
    RpcFunction("requeue_dead", Returns.ONE, False),
    RpcFunction("purge_dead_letters", Returns.SCALAR, False, {"older_than": "interval"}),
    RpcFunction("queue_stats", Returns.MANY, True),
    RpcFunction("sweep", Returns.SCALAR, True),
    RpcFunction("reset_breaker", Returns.MANY, False),
    RpcFunction("list_breakers", Returns.MANY, True),
    RpcFunction("breaker_history", Returns.MANY, True),
    RpcFunction("upsert_job_type", Returns.ONE, True, {"rate_limits": "jsonb"}),
    RpcFunction("list_job_types", Returns.MANY, True),
    RpcFunction("backoff_seconds", Returns.SCALAR, True),
    RpcFunction("configure_dispatch", Returns.SCALAR, True),
    RpcFunction("dispatch_status", Returns.SCALAR, True),
    RpcFunction("report_worker", Returns.ONE, True, {"stats": "jsonb"}),
    RpcFunction("trace_contexts", Returns.MANY, True, _JOB_IDS),
    RpcFunction("open_worker_breaker", Returns.SCALAR, True, {"details": "jsonb"}),
    RpcFunction("close_worker_breaker", Returns.SCALAR, True),
    RpcFunction("list_workers", Returns.MANY, True, {"seen_within": "interval"}),
    RpcFunction("execution_timeline", Returns.MANY, True),
    RpcFunction("recent_executions", Returns.MANY, True),
)


def register(function: RpcFunction) -> None:
    """Add a function (schedules.py for the scheduling RPCs; applications add their own)."""
    FUNCTIONS[function.name] = function


def lookup(name: str) -> RpcFunction:
    try:
        return FUNCTIONS[name]
    except KeyError:
        raise ConfigurationError(f"{name!r} is not a supajobs RPC function") from None
