"""jobs._sign_webhook (SQL) and supajobs.signing (Python) agree, also through the stand-in."""

from __future__ import annotations

import json
from collections.abc import Iterator

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integration.test_relay_support import HttpSink, install_standin, running_relay
from supajobs.signing import BadSignatureError, sign, verify

Conn = psycopg.Connection[tuple[object, ...]]
# Bodies as the dispatch sends them: JSON text, often Japanese, plus arbitrary text.
plain = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")  # PG text
japanese = st.text(alphabet=st.characters(min_codepoint=0x3040, max_codepoint=0x9FFF), max_size=40)
bodies = st.one_of(
    st.text(alphabet=plain, max_size=300),
    japanese,
    st.dictionaries(st.text(max_size=10), japanese, max_size=5).map(
        lambda d: json.dumps(d, ensure_ascii=False)),
)
secrets = st.text(alphabet=plain, min_size=1, max_size=64)


def sql_sign(conn: Conn, secret: str, ts: int, body: str) -> object:
    row = conn.execute("select jobs._sign_webhook(%s, %s, %s)", [secret, ts, body]).fetchone()
    assert row is not None
    return row[0]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(secret=secrets, ts=st.integers(min_value=0, max_value=2**40), body=bodies)
def test_sql_and_python_produce_the_same_signature(
    conn: Conn, secret: str, ts: int, body: str
) -> None:
    assert sql_sign(conn, secret, ts, body) == sign(secret, ts, body)


def test_empty_secret_is_refused_in_sql(conn: Conn) -> None:
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="secret is empty"):
        sql_sign(conn, "", 1, "{}")


def test_sign_function_is_internal(conn: Conn) -> None:
    for role in ("anon", "authenticated", "service_role"):
        row = conn.execute("select has_function_privilege(%s,"
                           " 'jobs._sign_webhook(text, bigint, text)', 'execute')", [role])
        assert row.fetchone() == (False,), role


@pytest.fixture
def sink() -> Iterator[HttpSink]:
    with HttpSink() as server:
        yield server


async def test_a_webhook_signed_in_sql_verifies_in_python(db_url: str, sink: HttpSink) -> None:
    install_standin(db_url)
    body = {"reason": "enqueue", "due": 2, "note": "領収書"}
    async with running_relay(db_url), await psycopg.AsyncConnection.connect(
        db_url, autocommit=True
    ) as conn:
        # What the dispatch will do: sign body::text of the very jsonb it posts.
        await conn.execute(
            """select net.http_post(%(url)s, b.body, headers => jsonb_build_object(
                 'Content-Type', 'application/json',
                 'X-Supajobs-Timestamp', t.ts::text,
                 'X-Supajobs-Signature', jobs._sign_webhook('topsecret', t.ts, b.body::text)))
               from (select %(body)s::jsonb as body) b,
                    (select extract(epoch from now())::bigint as ts) t""",
            {"url": sink.url + "/webhook", "body": json.dumps(body, ensure_ascii=False)},
        )
        (got,) = await sink.wait_for(lambda seen: len(seen) == 1)
    assert verify("topsecret", got.headers, got.body) > 0
    assert json.loads(got.body) == body
    with pytest.raises(BadSignatureError):
        verify("topsecret", got.headers, got.body.replace(b"2", b"3"))
