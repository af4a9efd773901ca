"""Hypothesis: the SDK's client-side check (supajobs.validation) and the database's
(jobs.enqueue_batch) accept and reject the same arbitrary job requests, with the same
SQLSTATE and message. Each database call runs in a transaction that is rolled back."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st
from psycopg.types.json import Jsonb

from fuzz.strategies import fuzz_settings, json_values
from supajobs.payload_check import PAYLOAD_LIMIT_BYTES, jsonb_text
from supajobs.validation import item_problem

Conn = psycopg.Connection[tuple[object, ...]]
# JSON text cannot carry U+0000 into jsonb at all (see test_nul_in_payload below).
TEXT_CHARS = st.characters(blacklist_characters="\x00", codec="utf-8")
TEXT = st.text(TEXT_CHARS, max_size=20)
ANY = json_values(text=TEXT)
NUMBERS = st.one_of(st.integers(-3, 2000), st.floats(-3, 2000).filter(lambda f: abs(f) >= 1e-4 or f == 0), st.booleans(),
                    TEXT, st.none())


@st.composite
def requests(draw: st.DrawFn) -> dict[str, Any]:
    # only the database knows which job types exist: a string is always a known one here
    job_type = st.just("email_scan") | ANY.filter(lambda v: not isinstance(v, str))
    item: dict[str, Any] = {"job_type": draw(job_type)}
    if draw(st.booleans()):
        item["payload"] = draw(st.dictionaries(TEXT, ANY, max_size=5) | ANY)
    if draw(st.booleans()):
        item["priority"] = draw(st.sampled_from(["critical", "high", "medium", "low"]) | ANY)
    for key in ("max_attempts", "timeout_seconds"):
        if draw(st.booleans()):
            item[key] = draw(NUMBERS)
    if draw(st.booleans()):
        item["idempotency_key"] = draw(st.text(TEXT_CHARS, max_size=210) | NUMBERS)
    if draw(st.booleans()):
        item["ref"] = draw(TEXT | NUMBERS)
    return item


@st.composite
def near_the_limit(draw: st.DrawFn) -> dict[str, Any]:
    """A payload whose SDK-computed size is within a few bytes of the limit."""
    extra = draw(st.dictionaries(TEXT, ANY, max_size=3))
    base = len(jsonb_text({"~blob": "", **extra}).encode())
    fill = PAYLOAD_LIMIT_BYTES - base + draw(st.integers(-8, 8))
    return {"job_type": "email_scan", "payload": {"~blob": "x" * max(0, fill), **extra}}


def database_problem(conn: Conn, item: dict[str, Any]) -> tuple[str, str] | None:
    try:
        with conn.transaction(force_rollback=True):
            conn.execute("select count(*) from jobs.enqueue_batch(%s::jsonb)", [Jsonb([item])])
    except psycopg.Error as exc:
        return str(exc.sqlstate), str(exc.diag.message_primary)
    return None


def sdk_problem(item: dict[str, Any]) -> tuple[str, str] | None:
    problem = item_problem(item, "jobs[0].")
    return None if problem is None else (problem[0], problem[2])


def renders_alike(conn: Conn, item: dict[str, Any]) -> bool:
    """Does the SDK write every quoted value (all but the payload) as jsonb's text does?"""
    for key, value in item.items():
        if key != "payload":
            row = conn.execute("select (%s::jsonb)::text", [Jsonb(value)]).fetchone()
            if row is None or row[0] != jsonb_text(value):
                return False
    return True


@fuzz_settings(150)
@given(item=requests())
def test_sdk_and_database_agree_on_arbitrary_requests(conn: Conn, item: dict[str, Any]) -> None:
    sdk, database = sdk_problem(item), database_problem(conn, item)
    assert (sdk and sdk[0]) == (database and database[0]), item  # accept/reject, SQLSTATE
    assert renders_alike(conn, item), item  # quoted values are written as jsonb writes them
    assert sdk == database, item


@fuzz_settings(40)
@given(item=near_the_limit())
def test_sdk_and_database_agree_on_size_at_the_limit(conn: Conn, item: dict[str, Any]) -> None:
    sdk, database = sdk_problem(item), database_problem(conn, item)
    assert (sdk is None) == (database is None), (sdk, database, item["payload"].keys())


# Disagreements this fuzz found, now fixed: they stay as regression cases.
@pytest.mark.parametrize("value", [1e16, 1.5e-7, 1.0000000000000002e16, {"0": None, "": None},
                                   {"bb": 1, "a": [2.50, "x\"y"], "ccc": {"z": 1, "": 2}}])
def test_value_rendering_matches_postgres(conn: Conn, value: Any) -> None:
    row = conn.execute("select (%s::jsonb)::text", [Jsonb(value)]).fetchone()
    assert row is not None and jsonb_text(value) == row[0]


@pytest.mark.parametrize(("item", "field"), [
    ({"job_type": "email_scan", "payload": {"note": "a\x00b"}}, "payload"),
    ({"job_type": "email_scan", "idempotency_key": "\x00"}, "idempotency_key")])
def test_nul_is_caught_by_the_sdk_before_the_database_fails(conn: Conn, item: dict[str, Any],
                                                            field: str) -> None:
    # jsonb cannot hold U+0000: the database refuses it while decoding the argument (22P05),
    # before any of our checks; the SDK names the field instead.
    sdk = sdk_problem(item)
    assert sdk is not None and sdk[0] in ("SJ101", "SJ105") and field in sdk[1]
    assert "NUL character" in sdk[1]
    database = database_problem(conn, item)
    assert database is not None and database[0] == "22P05"
