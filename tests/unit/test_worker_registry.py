"""The handler registry: what may be registered, and what is refused with a clear message."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from supajobs_worker.registry import EmptyPayload, Registry


class Receipt(BaseModel):
    path: str


def test_registered_handlers_are_found_and_listed_sorted() -> None:
    registry = Registry()

    @registry.handler("receipt_process", payload=Receipt, timeout=30, isolated=True)
    def process(payload: Receipt, ctx: object) -> None: ...

    @registry.handler("file_organize")
    async def organize(payload: EmptyPayload, ctx: object) -> None: ...

    assert registry.job_types() == ["file_organize", "receipt_process"]
    found = registry.get("receipt_process")
    assert found is not None and found.fn is process and found.payload is Receipt
    assert found.timeout == 30 and found.isolated
    assert registry.get("unknown") is None and len(registry) == 2


@pytest.mark.parametrize(
    ("job_type", "kwargs", "error", "message"),
    [
        ("Receipt", {}, ValueError, "lower-case letters"),
        ("", {}, ValueError, "lower-case letters"),
        ("x" * 64, {}, ValueError, "lower-case letters"),
        ("ok", {"timeout": 0}, ValueError, "timeout for ok must be in (0, 1800]"),
        ("ok", {"timeout": 1801}, ValueError, "timeout for ok must be in (0, 1800]"),
        ("ok", {"payload": dict}, TypeError, "payload for ok must be a pydantic model"),
    ],
)
def test_bad_registrations_name_the_problem(job_type: str, kwargs: dict[str, object],
                                            error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message.replace("(", r"\(").replace("]", r"\]")):
        Registry().handler(job_type, **kwargs)  # type: ignore[arg-type]


def test_a_job_type_has_one_handler() -> None:
    registry = Registry()
    registry.handler("ok")(lambda p, c: None)
    with pytest.raises(ValueError, match="a handler for ok is already registered"):
        registry.handler("ok")(lambda p, c: None)


def test_default_payload_keeps_unknown_fields() -> None:
    assert EmptyPayload.model_validate({"a": 1}).model_dump() == {"a": 1}
