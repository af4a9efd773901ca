"""The receipts page's query parameters and decision bodies: a bad one names itself."""

from __future__ import annotations

import datetime as dt

import pytest

from supajobs_receipts.dashboard import params
from supajobs_worker.dashboard.extension import BadRequestError


def test_empty_query_is_every_receipt_with_the_default_limit() -> None:
    assert params.search_args({}) == {"include_duplicates": False, "include_deleted": False,
                                      "max_rows": params.DEFAULT_LIMIT}


def test_given_keys_are_parsed_and_blank_ones_ignored() -> None:
    args = params.search_args({"date_from": "2026-03-01", "date_to": " ", "amount_min": "500",
                               "amount_max": "-3", "vendor": "  カフェ ",
                               "include_deleted": "true", "limit": "20"})
    assert args == {"date_from": dt.date(2026, 3, 1), "amount_min": 500, "amount_max": -3,
                    "vendor": "カフェ", "include_duplicates": False, "include_deleted": True,
                    "max_rows": 20}


@pytest.mark.parametrize(("query", "message"), [
    ({"date_from": "2026-13-01"}, "date_from must be a date (YYYY-MM-DD), got '2026-13-01'"),
    ({"date_to": "yesterday"}, "date_to must be a date"),
    ({"amount_min": "1e3"}, "amount_min must be a whole number of yen, got '1e3'"),
    ({"amount_max": "99999999999"}, "amount_max must be at most 2147483647"),
    ({"include_duplicates": "maybe"}, "include_duplicates must be true or false"),
    ({"limit": "all"}, "limit must be a number of rows"),
    ({"vendor": "x" * 201}, "vendor must be at most 200 characters"),
    ({"from": "2026-01-01"}, "unknown parameter 'from'"),
])
def test_bad_parameters_are_named(query: dict[str, str], message: str) -> None:
    with pytest.raises(BadRequestError) as refused:
        params.search_args(query)
    assert message in str(refused.value)


def test_receipt_ids_must_be_uuids() -> None:
    assert params.receipt_id("00000000-0000-0000-0000-000000000001").endswith("1")
    with pytest.raises(BadRequestError, match="receipt_id must be"):
        params.receipt_id("1; drop table")


@pytest.mark.parametrize(("body", "expected"), [
    ({"decision": "confirmed"}, ("confirmed", None)),
    ({"decision": "rejected", "note": "  two coffees "}, ("rejected", "two coffees")),
    ({"decision": "rejected", "note": ""}, ("rejected", None)),
])
def test_decisions(body: dict[str, object], expected: tuple[str, str | None]) -> None:
    assert params.decision(body) == expected


@pytest.mark.parametrize(("body", "message"), [
    ({}, "decision must be 'confirmed' or 'rejected', got None"),
    ({"decision": "confirm"}, "got 'confirm'"),
    ({"decision": "confirmed", "note": 5}, "note must be a string"),
    ({"decision": "confirmed", "note": "x" * 1001}, "at most 1000"),
])
def test_bad_decisions(body: dict[str, object], message: str) -> None:
    with pytest.raises(BadRequestError, match=message):
        params.decision(body)
