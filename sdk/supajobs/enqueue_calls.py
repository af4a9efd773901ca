"""The enqueue calls' wire forms: one job (the common call sent as it is), batches (checked,
plain items left as given), each with the trace context the caller's span gives it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from supajobs.enums import Priority
from supajobs.errors import SupajobsError
from supajobs.models import Job
from supajobs.transport.codec import to_json
from supajobs.validation import check_batch, check_job, plain_request

if TYPE_CHECKING:
    from supajobs.client import AsyncJobsClient


async def send_one(client: AsyncJobsClient, job_type: str, payload: Mapping[str, Any] | None,
                   priority: Priority | str | None, run_at: datetime | None,
                   idempotency_key: str | None, depends_on: Sequence[int],
                   max_attempts: int | None, timeout: int | None, rate_key: str | None,
                   trace_context: str | None) -> Job:
    if (priority is None and run_at is None and idempotency_key is None
            and not depends_on and max_attempts is None and timeout is None
            and rate_key is None and plain_request(job_type, payload)):
        # the common call: nothing to convert
        args: dict[str, Any] = {"job_type": job_type, "payload": payload}
        if trace_context is not None:
            args["trace_context"] = trace_context
        return await client.call_one("enqueue", args, Job, idempotent=False)
    item = {"job_type": str(job_type), "payload": {} if payload is None else payload,
            "priority": priority, "run_at": run_at, "idempotency_key": idempotency_key,
            "depends_on": list(depends_on), "max_attempts": max_attempts,
            "timeout_seconds": timeout, "rate_key": rate_key, "trace_context": trace_context}
    check_job(item)
    args = {k: v for k, v in item.items() if v is not None and v != []}
    args["payload"] = to_json(args["payload"])
    return await client.call_one("enqueue", args, Job, idempotent=idempotency_key is not None)


async def send_batch_ids(client: AsyncJobsClient, wire: list[Any], keyed: bool) -> list[int]:
    rows = await client.call_raw("enqueue_batch_ids", {"items": wire}, keyed)
    try:  # rows: {"id": n}, or bare numbers (PostgREST renders a one-column table so)
        return [int(row["id"] if isinstance(row, Mapping) else row) for row in rows]
    except (KeyError, TypeError, ValueError) as bad:
        raise SupajobsError(f"enqueue_batch_ids returned malformed rows: {bad!r}") from bad


def checked_batch(jobs: Sequence[Mapping[str, Any]],
           trace_context: str | None) -> tuple[list[Any], bool]:
    """Checked items as sent (plain ones as they are), and whether a retry is safe. With a
    trace context, items that name none get it (copies: the caller's items stay as given)."""
    items = list(jobs)
    plain = check_batch(items)
    keyed = bool(items) and all(i.get("idempotency_key") for i in items)
    wire = [item if ok else to_json(item) for item, ok in zip(items, plain, strict=True)]
    if trace_context is not None:
        wire = [item if isinstance(item, Mapping) and item.get("trace_context") is not None
                else {**item, "trace_context": trace_context} for item in wire]
    return wire, keyed


def batch_name(jobs: Sequence[Mapping[str, Any]]) -> str:
    """The span's name: the batch's job type when there is one."""
    types = {item.get("job_type") for item in jobs if isinstance(item, Mapping)}
    name = types.pop() if len(types) == 1 else None
    return f"batch {name}" if isinstance(name, str) else "batch"
