"""check_batch's quick path (one json.dumps for plainly small, plain items) never hides a
problem: anything it cannot vouch for gets the detailed checks, with the item's index."""

from __future__ import annotations

import pytest

from supajobs.errors import ValidationError
from supajobs.payload_check import PAYLOAD_LIMIT_BYTES, quick_size_ok
from supajobs.validation import check_batch

PLAIN = {"job_type": "email_scan", "payload": {"n": 1}}


def test_plain_items_are_vouched_for_and_others_checked() -> None:
    items = [PLAIN, {**PLAIN, "priority": "high"}, {"job_type": "email_scan"}]
    assert check_batch(items) == [True, False, True]


@pytest.mark.parametrize(("bad", "message"), [
    ({"job_type": "email_scan", "payload": {"s": "a\x00b"}}, r"jobs\[2\]\.payload contains a NUL"),
    ({"job_type": "email_scan", "payload": {"s": "x" * PAYLOAD_LIMIT_BYTES}},
     r"jobs\[2\]\.payload is \d+ bytes"),
    ({"job_type": "email_scan", "payload": [1]}, r"jobs\[2\]\.payload must be a JSON object"),
    ({"job_type": 5}, r"jobs\[2\]\.job_type is required"),
])
def test_a_bad_item_among_plain_ones_is_named(bad: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_batch([PLAIN, PLAIN, bad])


def test_quick_size_declines_what_jsonb_prints_differently() -> None:
    assert quick_size_ok({"n": 1.5, "s": "plain"})
    assert not quick_size_ok({"n": 1e300})  # numeric prints 301 digits
    assert not quick_size_ok({"n": float("nan")})
    assert not quick_size_ok({"s": "\x00"})
    assert not quick_size_ok({"s": "\ud800"})  # a lone surrogate: the exact path reports it
    assert not quick_size_ok({"when": object()})


def test_exponent_floats_near_the_limit_are_measured_exactly() -> None:
    # 1e+16 is 5 characters in JSON but 17 in jsonb: the quick path must not vouch for it
    payload = {"pad": "x" * (PAYLOAD_LIMIT_BYTES - 40), "n": [1e16, 1e16, 1e16]}
    with pytest.raises(ValidationError, match=r"jobs\[0\]\.payload is \d+ bytes"):
        check_batch([{"job_type": "email_scan", "payload": payload}])
