"""A PostgREST stand-in for respx: each RPC runs the real SQL function on the test database.

It renders results and errors the way PostgREST does: a composite -> a JSON object, setof or
table -> a JSON array, a base type -> the bare value; errors -> {code, message, details, hint}
with PostgREST's SQLSTATE -> HTTP status mapping. Arguments are passed as PostgREST passes them
(json_to_record over the request body, named notation, only the keys sent).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
import respx
from psycopg import sql

BASE_URL = "https://test-project.supabase.co"
SERVICE_KEY = "service-role-key-for-tests"

_SIGNATURE = """
select p.proretset, t.typtype, coalesce(p.proargnames, '{}') as names,
       array(select pg_catalog.format_type(a, null) from unnest(p.proargtypes) a) as types
from pg_catalog.pg_proc p join pg_catalog.pg_type t on t.oid = p.prorettype
where p.pronamespace = %s::regnamespace and p.proname = %s
"""


def http_status(sqlstate: str) -> int:
    """PostgREST's mapping (docs: Errors -> SQLSTATE to HTTP status), for service_role."""
    exact = {"23503": 409, "23505": 409, "25006": 405, "P0001": 400, "42883": 404,
             "42P01": 404, "42P17": 500, "42501": 403}
    if sqlstate in exact:
        return exact[sqlstate]
    prefixes = {"08": 503, "09": 500, "0L": 403, "0P": 403, "25": 500, "28": 403, "2D": 500,
                "38": 500, "39": 500, "3B": 500, "40": 500, "53": 503, "54": 500, "55": 500,
                "57": 500, "58": 500, "F0": 500, "HV": 500, "P0": 500, "XX": 500}
    return prefixes.get(sqlstate[:2], 400)


@dataclass
class RpcCall:
    fn: str
    request: httpx.Request
    body: Any
    status: int = 0
    response: Any = None


@dataclass
class PostgrestMock:
    db_url: str
    key: str = SERVICE_KEY
    base_url: str = BASE_URL
    calls: list[RpcCall] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.conn = psycopg.connect(self.db_url, autocommit=True)
        self.conn.execute("set role service_role")

    def install(self, router: respx.Router) -> None:
        pattern = rf"^{re.escape(self.base_url)}/rest/v1/rpc/(?P<fn>[^/?]+)$"
        router.post(url__regex=pattern).mock(side_effect=self.handle)

    def close(self) -> None:
        self.conn.close()

    def handle(self, request: httpx.Request, fn: str) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        call = RpcCall(fn=fn, request=request, body=body)
        self.calls.append(call)
        call.status, call.response = self._respond(request, fn)
        return httpx.Response(call.status, json=call.response)

    def _respond(self, request: httpx.Request, fn: str) -> tuple[int, Any]:
        if request.headers.get("apikey") != self.key:
            return 401, {"message": "Invalid API key",
                         "hint": "Double check your Supabase `anon` or `service_role` API key."}
        if request.headers.get("authorization") != f"Bearer {self.key}":
            return 401, {"code": "PGRST301", "message": "No suitable key or wrong key type",
                         "details": None, "hint": None}
        schema = request.headers.get("content-profile", "public")
        if schema not in ("public", "jobs"):
            return 406, {"code": "PGRST106", "message": "Invalid schema: " + schema,
                         "details": None, "hint": "Only the following schemas are exposed: "
                         "public, jobs"}
        return self.render(schema, fn, request.content.decode() or "{}")

    def render(self, schema: str, fn: str, body: str) -> tuple[int, Any]:
        args = list(json.loads(body))
        signature = self._signature(schema, fn, args)
        if signature is None:
            return 404, {"code": "PGRST202", "details": "Searched for the function "
                         f"{schema}.{fn} with parameters {', '.join(sorted(args))}",
                         "hint": None, "message": f"Could not find the function {schema}.{fn}"
                         f"({', '.join(sorted(args))}) in the schema cache"}
        returns_set, typtype, types = signature
        query = _compose(schema, fn, args, types, returns_set, typtype)
        try:
            with self.conn.transaction():
                row = self.conn.execute(query, [body] if args else None).fetchone()
        except psycopg.Error as exc:
            state = exc.sqlstate or "XX000"
            return http_status(state), {
                "code": state, "message": exc.diag.message_primary,
                "details": exc.diag.message_detail, "hint": exc.diag.message_hint}
        assert row is not None
        return 200, row[0]

    def _signature(self, schema: str, fn: str,
                   args: list[str]) -> tuple[bool, str, dict[str, str]] | None:
        for retset, typtype, names, types in self.conn.execute(_SIGNATURE, [schema, fn]):
            typed = dict(zip(names, types, strict=False))
            if all(a in typed for a in args):  # the overload takes every key sent
                return bool(retset), str(typtype), typed
        return None


def _compose(schema: str, fn: str, args: list[str], types: dict[str, str], returns_set: bool,
             typtype: str) -> sql.Composed:
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(a), sql.SQL(types[a])) for a in args)
    named = sql.SQL(", ").join(
        sql.SQL("{} => (select {} from pgrst_args)").format(sql.Identifier(a), sql.Identifier(a))
        for a in args)
    call = sql.SQL("{}.{}({})").format(sql.Identifier(schema), sql.Identifier(fn), named)
    if returns_set:
        render = sql.SQL("select coalesce(json_agg(r), '[]') from {} r").format(call)
    elif typtype == "c":
        render = sql.SQL("select to_json(r) from {} r").format(call)
    else:
        render = sql.SQL("select to_json({})").format(call)
    if not args:
        return render
    return sql.SQL("with pgrst_args as (select * from json_to_record(%s::json) as _({})) {}"
                   ).format(columns, render)
