"""Requests to freee's accounting API checked against freee's own description of it.

The description is the minimal OpenAPI that the npm package freee-mcp ships
(`make install` unpacks it into .tools/freee-openapi/<version>/accounting.json): every path,
method and parameter (name, place, type, required) of https://api.freee.co.jp/api/1. It
carries no body schemas, so bodies are checked by the client's own pydantic models, which
were written from freee/freee-api-schema (docs/decisions.md says why that file is not here).

    route = respx_mock.route(host="api.freee.co.jp").mock(side_effect=checked(handler))
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
FREEE_MCP_VERSION = "0.35.2"  # the Makefile's FREEE_MCP_VERSION
SPEC = ROOT / ".tools" / "freee-openapi" / FREEE_MCP_VERSION / "accounting.json"
HOST = "api.freee.co.jp"


class ContractError(AssertionError):
    """A request freee's description does not allow; the message names the part."""


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    parameters: tuple[dict[str, Any], ...]
    json_body: bool

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


@cache
def operations() -> dict[tuple[str, str], Operation]:
    if not SPEC.is_file():
        raise ContractError(f"{SPEC} is missing: run `make install` (it unpacks freee-mcp)")
    paths = json.loads(SPEC.read_text(encoding="utf-8"))["paths"]
    return {(method.upper(), template): Operation(method.upper(), template,
                                                   tuple(op.get("parameters", ())),
                                                   bool(op.get("hasJsonBody")))
            for template, methods in paths.items() for method, op in methods.items()}


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[a-z_]+\\\}", "([^/]+)", re.escape(template)) + "$")


def operation_for(method: str, path: str) -> tuple[Operation, dict[str, str]]:
    """The operation a method and path are, with the path parameters' values."""
    for (op_method, template), op in operations().items():
        match = _pattern(template).match(path)
        if match and op_method == method:
            names = re.findall(r"\{([a-z_]+)\}", template)
            return op, dict(zip(names, match.groups(), strict=True))
    raise ContractError(f"{method} {path}: not an operation of freee's accounting API")


def _check_value(op: Operation, where: str, name: str, value: str, kind: str | None) -> None:
    if kind == "integer" and not re.fullmatch(r"-?\d+", value):
        raise ContractError(f"{op.key}: {where} parameter {name}={value!r} is not an integer")
    if kind == "boolean" and value not in ("true", "false"):
        raise ContractError(f"{op.key}: {where} parameter {name}={value!r} is not a boolean")


def check_request(request: httpx.Request) -> Operation:
    """Raise ContractError unless freee's description allows `request`; the operation if so."""
    if request.url.host != HOST:
        raise ContractError(f"{request.url}: not freee's API host {HOST}")
    op, path_values = operation_for(request.method, request.url.path)
    declared = {(p["in"], p["name"]): p for p in op.parameters}
    for name, value in path_values.items():
        _check_value(op, "path", name, value, declared.get(("path", name), {}).get("type"))
    query = request.url.params
    for name in query:
        spec = declared.get(("query", name))
        if spec is None:
            raise ContractError(f"{op.key}: unknown query parameter {name!r}")
        for value in query.get_list(name):
            _check_value(op, "query", name, value, spec.get("type"))
    for (where, name), spec in declared.items():
        if where == "query" and spec.get("required") and name not in query:
            raise ContractError(f"{op.key}: required query parameter {name!r} is missing")
    _check_body(op, request)
    return op


def _check_body(op: Operation, request: httpx.Request) -> None:
    content_type = request.headers.get("content-type", "")
    if op.key == "POST /api/1/receipts":  # its description: multipart/form-data only
        if not content_type.startswith("multipart/form-data"):
            raise ContractError(f"{op.key}: needs multipart/form-data, sent {content_type!r}")
        return
    if op.method in ("POST", "PUT"):
        if not op.json_body:
            raise ContractError(f"{op.key}: takes no JSON body")
        if not content_type.startswith("application/json"):
            raise ContractError(f"{op.key}: needs a JSON body, sent {content_type!r}")
        body = json.loads(request.content or b"null")
        if not isinstance(body, dict) or "company_id" not in body:
            raise ContractError(f"{op.key}: the JSON body must be an object with company_id")


Handler = Callable[[httpx.Request], httpx.Response]


def checked(handler: Handler, seen: list[Operation] | None = None) -> Handler:
    """A respx side effect that checks each request before `handler` answers it."""

    def answer(request: httpx.Request) -> httpx.Response:
        op = check_request(request)
        if seen is not None:
            seen.append(op)
        return handler(request)

    return answer
