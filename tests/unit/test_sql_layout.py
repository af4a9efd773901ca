"""supabase/schemas is the reviewable truth: every object declared exactly once, every file in
config.toml's schema_paths (in a declared order), RPCs granted where they are declared, and
the baseline migrations generated from exactly these files. No database needed.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from support.sql_baseline import (
    DATA_PATHS,
    SUPABASE,
    check,
    data_paths,
    render,
    schema_entries,
    schema_paths,
)

SCHEMAS = SUPABASE / "schemas"
CREATE = re.compile(
    r"^\s*create\s+(?:or\s+replace\s+)?(?:unique\s+)?"
    r"(function|procedure|table|view|materialized\s+view|type|index|sequence|domain)\s+"
    r"(?:if\s+not\s+exists\s+)?([\w.\"]+)(?:\s+on\s+([\w.]+))?",
    re.I | re.M)
# A trigger's name is per table, which comes after its events.
TRIGGER = re.compile(r"^\s*create\s+(?:or\s+replace\s+)?trigger\s+(\w+)\s.*?\bon\s+([\w.]+)",
                     re.I | re.M | re.S)
FUNCTION = re.compile(r"^\s*create\s+(?:or\s+replace\s+)?function\s+(\w+)\.(\w+)\s*\(", re.I | re.M)
GRANT = re.compile(r"grant\s+execute\s+on\s+function\s+(\w+)\.(\w+)\s*\(([^)]*)\)\s+to\s+(\w+)",
                   re.I)


def schema_files() -> list[Path]:
    return sorted(SCHEMAS.rglob("*.sql"))


def strip_comments(text: str) -> str:
    return re.sub(r"--[^\n]*", "", text)


def declared_objects() -> Counter[tuple[str, str]]:
    found: Counter[tuple[str, str]] = Counter()
    for path in schema_files():
        text = strip_comments(path.read_text())
        for kind, name, _table in CREATE.findall(text):
            found[(" ".join(kind.lower().split()), name)] += 1
        for name, table in TRIGGER.findall(text):
            found[("trigger", f"{name} on {table}")] += 1
    return found


def test_every_object_is_declared_exactly_once() -> None:
    objects = declared_objects()
    kinds = Counter(kind for kind, _name in objects)
    # The expressions do find them (the catalog has 103 functions, 12 tables, 13 indexes...).
    assert kinds["function"] > 100 and kinds["table"] >= 12 and kinds["index"] >= 13, kinds
    assert kinds["view"] >= 2 and kinds["type"] >= 5 and kinds["trigger"] >= 1, kinds
    twice = sorted(f"{kind} {name} ({n} times)" for (kind, name), n in objects.items() if n != 1)
    assert twice == []


def test_functions_tables_and_indexes_are_schema_qualified() -> None:
    bare = sorted(f"{kind} {name}" for kind, name in declared_objects()
                  if kind in ("function", "table", "view", "type") and "." not in name)
    assert bare == []


def test_every_schema_file_is_listed_and_every_listed_path_exists() -> None:
    entries = schema_entries()
    listed = schema_paths()
    assert len(set(entries)) == len(entries), "schema_paths lists a file twice"
    assert all("*" not in entry for entry in entries), "schema_paths: list files, not globs"
    missing = [entry for entry, path in zip(entries, listed, strict=True) if not path.is_file()]
    assert missing == []
    unlisted = sorted(str(p.relative_to(SUPABASE)) for p in set(schema_files()) - set(listed))
    assert unlisted == []


def test_every_data_file_is_applied() -> None:
    on_disk = {p.resolve() for p in (SUPABASE / "data").glob("*.sql")}
    assert set(data_paths()) == on_disk
    assert len(set(DATA_PATHS)) == len(DATA_PATHS)


def test_each_rpc_is_granted_to_service_role_where_it_is_declared() -> None:
    problems = []
    for path in schema_files():
        text = strip_comments(path.read_text())
        declared = {(schema, name) for schema, name in FUNCTION.findall(text)}
        granted = {(schema, name): role for schema, name, _args, role in GRANT.findall(text)}
        for schema, name in sorted(declared):
            internal = name.startswith("_")
            if internal and (schema, name) in granted:
                problems.append(f"{path.name}: internal {schema}.{name} is granted")
            if not internal and granted.get((schema, name)) != "service_role":
                problems.append(f"{path.name}: RPC {schema}.{name} is not granted to service_role")
        for schema, name in sorted(set(granted) - declared):
            problems.append(f"{path.name}: grants {schema}.{name}, declared elsewhere")
    assert problems == []


def test_baseline_migrations_are_generated_from_these_files() -> None:
    assert check() == [], "run `make sql-baseline`"


def test_baseline_names_each_file_in_config_order() -> None:
    text = render(schema_paths(), "x")
    banners = re.findall(r"^-- ==== (\S+) ====$", text, re.M)
    assert banners == [p.relative_to(SUPABASE.parent).as_posix() for p in schema_paths()]
