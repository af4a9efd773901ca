"""Supabase's model: anon and authenticated get nothing; service_role gets the RPCs."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import sql

OURS = "('jobs'::regnamespace, 'receipts'::regnamespace)"
TABLES = sql.SQL(
    "select c.relnamespace::regnamespace::text, c.relname from pg_class c"
    f" where c.relnamespace in {OURS} and c.relkind in ('r', 'v', 'p') order by 1, 2")
FUNCTIONS = sql.SQL(
    "select p.pronamespace::regnamespace::text, p.proname, p.oid::regprocedure::text,"
    " array(select format_type(t, null) from unnest(p.proargtypes) t)"
    f" from pg_proc p where p.pronamespace in {OURS} order by 3")


def null_call(schema: str, name: str, arg_types: list[str]) -> sql.Composed:
    args = sql.SQL(", ").join(sql.SQL("null::{}").format(sql.SQL(t)) for t in arg_types)
    return sql.SQL("select {}.{}({})").format(sql.Identifier(schema), sql.Identifier(name), args)


@pytest.mark.parametrize("role", ["anon", "authenticated"])
def test_untrusted_roles_are_denied_everything(conn: psycopg.Connection[Any], role: str) -> None:
    tables = conn.execute(TABLES).fetchall()
    functions = conn.execute(FUNCTIONS).fetchall()
    assert len(tables) >= 11 and len(functions) >= 30
    conn.execute(sql.SQL("set role {}").format(sql.Identifier(role)))
    for schema, table in tables:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(sql.SQL("select * from {}.{} limit 1").format(
                sql.Identifier(schema), sql.Identifier(table)))
    for schema, name, _signature, arg_types in functions:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(null_call(schema, name, arg_types))
    conn.execute("reset role")


def test_every_table_has_row_level_security(conn: psycopg.Connection[Any]) -> None:
    rows = conn.execute("select relname, relrowsecurity from pg_class"
                        f" where relnamespace in {OURS} and relkind = 'r'").fetchall()
    assert rows and all(enabled for _, enabled in rows), rows


def test_only_service_role_may_execute_rpcs(conn: psycopg.Connection[Any]) -> None:
    for _schema, name, signature, _ in conn.execute(FUNCTIONS).fetchall():
        for role in ("public", "anon", "authenticated"):
            granted = conn.execute(
                "select has_function_privilege(%s, %s, 'execute')",
                ["anon" if role == "public" else role, signature]).fetchone()
            assert granted == (False,), (role, signature)
        internal = name.startswith("_")
        service = conn.execute("select has_function_privilege('service_role', %s, 'execute')",
                               [signature]).fetchone()
        assert service == (not internal,), signature
        row = conn.execute(
            "select prosecdef, coalesce(array_to_string(proconfig, ','), '') from pg_proc"
            " where oid = %s::regprocedure", [signature]).fetchone()
        assert row is not None
        definer, config = row
        # No hijacking: every RPC and every security definer function fixes its search_path.
        # Internal helpers (granted to nobody) run inside those, under their empty path.
        if not internal or definer:
            assert "search_path=" in config, signature


def test_service_role_can_use_the_queue(conn: psycopg.Connection[Any]) -> None:
    conn.execute("set role service_role")
    job = conn.execute("select id from jobs.enqueue('file_organize')").fetchone()
    assert job is not None
    assert conn.execute("select count(*) from jobs.jobs").fetchone() == (1,)
    assert conn.execute("select count(*) from jobs.claim('w')").fetchone() == (1,)
    conn.execute("reset role")
