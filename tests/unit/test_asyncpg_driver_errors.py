"""AsyncpgTransport: what each kind of failure becomes, and whether its connection is used
again (a connection caught mid-protocol must not be: asyncpg would refuse the next call with
'another operation is in progress')."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest
from asyncpg.exceptions import InternalClientError

from supajobs import NotFoundError, TransientError, ValidationError
from supajobs.transport.asyncpg_driver import AsyncpgTransport
from supajobs.transport.slots import ConnectionSlots

SERVER_ERROR = asyncpg.PostgresError.new({"S": "ERROR", "C": "SJ404", "M": "job 7 not found"})
SHUTDOWN = asyncpg.PostgresError.new(
    {"S": "FATAL", "C": "57P01", "M": "terminating connection due to administrator command"})
STATE = InternalClientError("cannot switch to state 15; another operation (14) is in progress")


class Conn:
    def __init__(self, failure: BaseException | None) -> None:
        self.failure, self.terminated = failure, False

    async def fetch(self, text: str, *args: Any) -> list[dict[str, Any]]:
        if self.failure is not None:
            raise self.failure
        return [{"get_job": 1}]

    def is_closed(self) -> bool:
        return self.terminated

    async def close(self) -> None:
        self.terminated = True

    def terminate(self) -> None:
        self.terminated = True


def transport(*failures: BaseException | None) -> tuple[AsyncpgTransport, list[Conn]]:
    made: list[Conn] = []
    queue = list(failures)

    async def connect() -> Conn:
        made.append(Conn(queue.pop(0) if queue else None))
        return made[-1]

    result = AsyncpgTransport("postgresql://u@h/db")
    result._slots = ConnectionSlots(connect, max_size=1, timeout=0.1)
    return result, made


@pytest.mark.parametrize(("failure", "kind", "text"), [
    (STATE, TransientError, "database connection failed: cannot switch to state"),
    (SHUTDOWN, TransientError, "terminating connection due to administrator command"),
    (asyncio.CancelledError(), asyncio.CancelledError, None),
    (OSError("connection reset by peer"), TransientError, "connection reset by peer"),
])
async def test_a_broken_connection_is_dropped(failure: BaseException, kind: type,
                                              text: str | None) -> None:
    rpc, made = transport(failure)
    with pytest.raises(kind, match=text) as excinfo:
        await rpc.call("get_job", {"job_id": 7})
    if kind is TransientError:
        assert rpc._slots.idle == 0 and made[0].terminated
        # asyncpg refused to start the call: nothing sent, so even a non-idempotent one retries
        assert excinfo.value.applied is (False if failure is STATE else None)
    assert await rpc.call("get_job", {"job_id": 7}) == {"get_job": 1}  # a new connection
    assert len(made) == 2 and made[0].terminated


async def test_a_server_error_keeps_the_connection() -> None:
    rpc, made = transport(SERVER_ERROR)
    with pytest.raises(NotFoundError, match="job 7 not found"):
        await rpc.call("get_job", {"job_id": 7})
    assert rpc._slots.idle == 1 and not made[0].terminated


async def test_a_value_refused_before_sending_keeps_the_connection() -> None:
    refused = asyncpg.DataError("invalid input for query argument $1: 'x' (an int is required)")
    rpc, made = transport(refused)
    with pytest.raises(ValidationError, match=r"^invalid input for argument job_id: 'x'"):
        await rpc.call("get_job", {"job_id": "x"})
    assert rpc._slots.idle == 1 and not made[0].terminated
