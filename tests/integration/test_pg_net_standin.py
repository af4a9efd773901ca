"""The stand-in has pg_net's SQL surface and queues/notifies as pg_net does (no relay here)."""

from __future__ import annotations

import psycopg
import pytest

from integration.test_relay_support import install_standin

Conn = psycopg.Connection[tuple[object, ...]]

# Copied from pg_get_function_arguments() on pg_net 0.x (supabase/pg_net sql/pg_net.sql).
HTTP_POST_ARGS = (
    "url text, body jsonb DEFAULT '{}'::jsonb, params jsonb DEFAULT '{}'::jsonb, "
    "headers jsonb DEFAULT '{\"Content-Type\": \"application/json\"}'::jsonb, "
    "timeout_milliseconds integer DEFAULT 5000"
)


@pytest.fixture
def net(db_url: str, conn: Conn) -> Conn:
    install_standin(db_url)
    return conn


def columns(conn: Conn, table: str) -> list[tuple[object, ...]]:
    return conn.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_schema = 'net' and table_name = %s order by ordinal_position", [table]
    ).fetchall()


def test_surface_matches_pg_net(net: Conn) -> None:
    args = net.execute("select pg_get_function_arguments('net.http_post'::regproc)").fetchone()
    assert args == (HTTP_POST_ARGS,)
    returns = net.execute("select pg_get_function_result('net.http_post'::regproc)").fetchone()
    assert returns == ("bigint",)
    assert columns(net, "http_request_queue") == [
        ("id", "bigint"), ("method", "text"), ("url", "text"), ("headers", "jsonb"),
        ("body", "bytea"), ("timeout_milliseconds", "integer"),
    ]
    assert columns(net, "_http_response") == [
        ("id", "bigint"), ("status_code", "integer"), ("content_type", "text"),
        ("headers", "jsonb"), ("content", "text"), ("timed_out", "boolean"),
        ("error_msg", "text"), ("created", "timestamp with time zone"),
    ]


def test_http_post_queues_the_request_like_pg_net(net: Conn) -> None:
    row = net.execute("select net.http_post('http://example.test/hook', '{\"a\": \"領収書\"}')"
                      ).fetchone()
    assert row is not None
    queued = net.execute("select id, method, url, headers, convert_from(body, 'UTF8'),"
                         " timeout_milliseconds from net.http_request_queue").fetchall()
    assert queued == [(row[0], "POST", "http://example.test/hook",
                       {"Content-Type": "application/json"}, '{"a": "領収書"}', 5000)]


def test_params_are_url_encoded(net: Conn) -> None:
    net.execute("select net.http_post('http://h.test/p?x=1', params => %s::jsonb)",
                ['{"q": "a b&c", "名": "値"}'])
    (url,) = net.execute("select url from net.http_request_queue").fetchone() or ("",)
    assert url == "http://h.test/p?x=1&q=a%20b%26c&%E5%90%8D=%E5%80%A4"


def test_missing_content_type_is_added_and_other_headers_kept(net: Conn) -> None:
    net.execute("""select net.http_post('http://h.test', headers => '{"X-A": "1"}',
                                        timeout_milliseconds => 250)""")
    assert net.execute("select headers, timeout_milliseconds from net.http_request_queue"
                       ).fetchone() == ({"X-A": "1", "Content-Type": "application/json"}, 250)


def test_non_json_content_type_is_refused(net: Conn) -> None:
    with pytest.raises(psycopg.errors.RaiseException, match="must be \"application/json\""):
        net.execute("""select net.http_post('http://h.test',
                                            headers => '{"content-type": "text/plain"}')""")


def test_http_get_queues_without_body(net: Conn) -> None:
    net.execute("select net.http_get('http://h.test/g', '{\"k\": \"v\"}')")
    assert net.execute("select method, url, body from net.http_request_queue").fetchone() == (
        "GET", "http://h.test/g?k=v", None)


def test_one_notification_per_transaction_and_only_at_commit(net: Conn, db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as listener:
        listener.execute("listen supajobs_net")
        with net.transaction():
            net.execute("select net.http_post('http://h.test', jsonb_build_object('n', i))"
                        " from generate_series(1, 500) i")
            assert list(listener.notifies(timeout=0.2)) == []
        received = list(listener.notifies(timeout=0.5))
    assert [n.channel for n in received] == ["supajobs_net"]
    assert net.execute("select count(*) from net.http_request_queue").fetchone() == (500,)


def test_installing_twice_keeps_queued_requests(net: Conn, db_url: str) -> None:
    net.execute("select net.http_post('http://h.test')")
    install_standin(db_url)
    assert net.execute("select count(*) from net.http_request_queue").fetchone() == (1,)


def test_check_worker_is_up_needs_a_relay_connection(net: Conn, db_url: str) -> None:
    with pytest.raises(psycopg.errors.RaiseException, match="pg_net background worker is not up"):
        net.execute("select net.check_worker_is_up()")
    with psycopg.connect(db_url, application_name="supajobs pg_net relay"):
        net.execute("select net.check_worker_is_up()")
