"""The transport port: call one allow-listed jobs.<fn> with named arguments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Transport(Protocol):
    """Returns a dict (composite), a list of dicts (set) or a bare value (scalar).

    Values may be native (datetime, UUID) or JSON text; the models parse both alike.
    Raises supajobs.errors exceptions only.
    """

    name: str

    async def call(self, fn: str, args: Mapping[str, Any]) -> Any: ...

    async def aclose(self) -> None: ...
