"""What enqueue() hands the transport: a plain call goes as it is; anything else is checked
and converted to JSON values first (the same wire either way)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from supajobs import AsyncJobsClient, ValidationError

NOW = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
ROW = {"id": 7, "job_type": "email_scan", "payload": {}, "priority": "medium",
       "status": "queued", "run_at": NOW, "attempts": 0, "attempt_limit": 3,
       "max_attempts": 3, "timeout_seconds": 300, "created_at": NOW, "updated_at": NOW}


class Recording:
    name = "recording"

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def call(self, fn: str, args: dict[str, Any]) -> Any:
        self.calls.append((fn, dict(args)))
        return ROW

    async def aclose(self) -> None:
        pass


async def sent(*args: Any, **kwargs: Any) -> dict[str, Any]:
    transport = Recording()
    job = await AsyncJobsClient(transport).enqueue(*args, **kwargs)  # type: ignore[arg-type]
    assert job.id == 7
    [(fn, wire)] = transport.calls
    assert fn == "enqueue"
    return wire


async def test_a_plain_call_goes_as_it_is() -> None:
    assert await sent("email_scan", {"n": 1, "tags": ["a"], "x": None}) == {
        "job_type": "email_scan", "payload": {"n": 1, "tags": ["a"], "x": None}}


async def test_other_values_are_converted_to_json_first() -> None:
    wire = await sent("email_scan", {"at": NOW, "id": UUID(int=1), "pair": (1, 2)})
    assert wire["payload"] == {"at": NOW.isoformat(), "id": str(UUID(int=1)), "pair": [1, 2]}


async def test_options_and_enum_types_take_the_checked_path() -> None:
    assert await sent("email_scan", {"n": 1}, priority="high", max_attempts=2) == {
        "job_type": "email_scan", "payload": {"n": 1}, "priority": "high", "max_attempts": 2}
    assert await sent("email_scan") == {"job_type": "email_scan", "payload": {}}


@pytest.mark.parametrize("payload", [{"x": "\x00"}, {"x": "y" * 262144}, ["not", "a", "dict"]])
async def test_what_the_quick_check_cannot_pass_is_still_refused(payload: Any) -> None:
    with pytest.raises(ValidationError) as err:
        await sent("email_scan", payload)
    assert err.value.field == "payload"
