"""The sync client mirrors the async one exactly: same public methods, same signatures.

Written as a test (not generated) because the mirror is small; it fails the day one side
gains or changes a parameter the other lacks (JobTypes.upsert once lost its keywords).
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from supajobs import AsyncJobsClient, JobsClient
from supajobs.namespaces import AsyncBreakers, AsyncDeadLetters, AsyncJobTypes
from supajobs.schedules import AsyncSchedules
from supajobs.sync_namespaces import Breakers, DeadLetters, JobTypes, Schedules, WorkerApi
from supajobs.worker_api import AsyncWorkerApi

PAIRS = [(JobsClient, AsyncJobsClient), (DeadLetters, AsyncDeadLetters),
         (Breakers, AsyncBreakers), (JobTypes, AsyncJobTypes), (Schedules, AsyncSchedules),
         (WorkerApi, AsyncWorkerApi)]
# Async-only plumbing (the sync client reaches it through the async one it wraps).
ASYNC_ONLY = {"aclose", "call_one", "call_many", "call_raw", "transport"}
SYNC_ONLY = {"close"}


def public(cls: type) -> dict[str, Any]:
    return {name: member for name, member in inspect.getmembers(cls)
            if not name.startswith("_") and (callable(member) or isinstance(member, property))}


def shape(member: Any) -> list[tuple[str, Any, Any, Any]]:
    if isinstance(member, property):
        return []
    sig = inspect.signature(member, eval_str=True)
    return [(p.name, p.kind, p.default, p.annotation) for p in sig.parameters.values()]


def returns(member: Any) -> Any:
    return None if isinstance(member, property) else inspect.signature(
        member, eval_str=True).return_annotation


@pytest.mark.parametrize(("sync", "async_"), PAIRS, ids=[s.__name__ for s, _ in PAIRS])
def test_same_methods_and_signatures(sync: type, async_: type) -> None:
    mine, theirs = public(sync), public(async_)
    assert sorted(set(mine) - SYNC_ONLY) == sorted(set(theirs) - ASYNC_ONLY)
    for name in set(mine) - SYNC_ONLY:
        if name in ("from_env",):
            continue  # classmethods returning their own class
        assert shape(mine[name]) == shape(theirs[name]), f"{sync.__name__}.{name}"
        if inspect.iscoroutinefunction(theirs[name]):
            assert returns(mine[name]) == returns(theirs[name]), f"{sync.__name__}.{name}"


def test_same_namespaces() -> None:
    from unit.worker_fakes import RecordingTransport

    sync = JobsClient(RecordingTransport())
    try:
        async_ = AsyncJobsClient(RecordingTransport())
        names = {n for n in vars(async_) if not n.startswith("_")} - {"transport", "retry"}
        assert names == {n for n in vars(sync) if not n.startswith("_")} - {"aio"} and names
        for name in names:  # each sync namespace mirrors the async one's class
            mirror = dict(PAIRS)[type(getattr(sync, name))]
            assert isinstance(getattr(async_, name), mirror), name
    finally:
        sync.close()
