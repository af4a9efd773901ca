"""Supabase's model: anon and authenticated get nothing; service_role gets the RPCs."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import sql

TABLES = sql.SQL(
    "select c.relname from pg_class c where c.relnamespace = 'jobs'::regnamespace"
    " and c.relkind in ('r', 'v', 'p') order by 1")
FUNCTIONS = sql.SQL(
    "select p.proname, p.oid::regprocedure::text,"
    " array(select format_type(t, null) from unnest(p.proargtypes) t)"
    " from pg_proc p where p.pronamespace = 'jobs'::regnamespace order by 2")


def null_call(name: str, arg_types: list[str]) -> sql.Composed:
    args = sql.SQL(", ").join(sql.SQL("null::{}").format(sql.SQL(t)) for t in arg_types)
    return sql.SQL("select jobs.{}({})").format(sql.Identifier(name), args)


@pytest.mark.parametrize("role", ["anon", "authenticated"])
def test_untrusted_roles_are_denied_everything(conn: psycopg.Connection[Any], role: str) -> None:
    tables = [r[0] for r in conn.execute(TABLES).fetchall()]
    functions = conn.execute(FUNCTIONS).fetchall()
    assert len(tables) >= 8 and len(functions) >= 20
    conn.execute(sql.SQL("set role {}").format(sql.Identifier(role)))
    for table in tables:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(sql.SQL("select * from jobs.{} limit 1").format(sql.Identifier(table)))
    for name, _signature, arg_types in functions:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(null_call(name, arg_types))
    conn.execute("reset role")


def test_every_table_has_row_level_security(conn: psycopg.Connection[Any]) -> None:
    rows = conn.execute("select relname, relrowsecurity from pg_class"
                        " where relnamespace = 'jobs'::regnamespace and relkind = 'r'").fetchall()
    assert rows and all(enabled for _, enabled in rows), rows


def test_only_service_role_may_execute_rpcs(conn: psycopg.Connection[Any]) -> None:
    for name, signature, _ in conn.execute(FUNCTIONS).fetchall():
        for role in ("public", "anon", "authenticated"):
            granted = conn.execute(
                "select has_function_privilege(%s, %s, 'execute')",
                ["anon" if role == "public" else role, signature]).fetchone()
            assert granted == (False,), (role, signature)
        internal = name.startswith("_")
        service = conn.execute("select has_function_privilege('service_role', %s, 'execute')",
                               [signature]).fetchone()
        assert service == (not internal,), signature
        config = conn.execute(
            "select coalesce(array_to_string(proconfig, ','), '') from pg_proc"
            " where oid = %s::regprocedure", [signature]).fetchone()
        assert config is not None and "search_path=" in config[0], signature  # no hijacking


def test_service_role_can_use_the_queue(conn: psycopg.Connection[Any]) -> None:
    conn.execute("set role service_role")
    job = conn.execute("select id from jobs.enqueue('file_organize')").fetchone()
    assert job is not None
    assert conn.execute("select count(*) from jobs.jobs").fetchone() == (1,)
    assert conn.execute("select count(*) from jobs.claim('w')").fetchone() == (1,)
    conn.execute("reset role")
