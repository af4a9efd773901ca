"""Flow-control options as code declares them: clear errors for bad windows and keys, the
upsert arguments they become, and the differences the worker's start-up reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from supajobs import JobTypeInfo, JobTypeOptions, RateLimit
from supajobs.job_type_options import differences

FIVE_A_SECOND = {"starts": 5, "per_seconds": 1}


@pytest.mark.parametrize(("kw", "message"), [
    ({"rate_limits": [{"starts": 0, "per_seconds": 1}]}, "starts"),
    ({"rate_limits": [{"starts": -3, "per_seconds": 1}]}, "starts"),
    ({"rate_limits": [{"starts": 10001, "per_seconds": 1}]}, "starts"),
    ({"rate_limits": [{"starts": 2.5, "per_seconds": 1}]}, "starts"),
    ({"rate_limits": [{"starts": 5, "per_seconds": 0}]}, "per_seconds"),
    ({"rate_limits": [{"starts": 5, "per_seconds": -1}]}, "per_seconds"),
    ({"rate_limits": [{"starts": 5, "per_seconds": 32 * 86400}]}, "per_seconds"),
    ({"rate_limits": [{"starts": 5, "per_seconds": 1, "burst": 9}]}, "burst"),
    ({"rate_limits": []}, "1 to 4 windows"),
    ({"rate_limits": [{"starts": 1, "per_seconds": s} for s in range(1, 6)]}, "1 to 4 windows"),
    ({"rate_limits": [FIVE_A_SECOND, {"starts": 9, "per_seconds": 1.0}]}, "same per_seconds"),
    ({"rate_key": 5, "key_concurrency": 1}, "rate_key"),
    ({"rate_key": ["company"], "key_concurrency": 1}, "rate_key"),
    ({"rate_key": "", "key_concurrency": 1}, "rate_key"),
    ({"rate_key": "company..id", "key_concurrency": 1}, "rate_key"),
    ({"rate_key": "company"}, "a key alone limits nothing"),
    ({"key_concurrency": 0}, "key_concurrency"),
])
def test_bad_flow_options_are_named(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        JobTypeOptions(**kw)


def test_good_options_become_the_upsert_arguments() -> None:
    options = JobTypeOptions(rate_limits=(RateLimit(starts=5, per_seconds=1),
                                          RateLimit(starts=3000, per_seconds=86400)),
                             rate_key="company.id", key_concurrency=2)
    args = options.upsert_args("freee_sync")
    assert args["rate_limits"] == [{"starts": 5, "per_seconds": 1.0},
                                   {"starts": 3000, "per_seconds": 86400.0}]
    assert (args["rate_key"], args["key_concurrency"]) == ("company.id", 2)
    assert JobTypeOptions().upsert_args("x")["rate_limits"] is None  # no limits: none sent


def stored(**kw: Any) -> JobTypeInfo:
    now = dt.datetime.now(dt.UTC)
    base: dict[str, Any] = {"name": "t", "default_priority": "medium", "max_attempts": 5,
                            "timeout_seconds": 300, "backoff_base_seconds": 10,
                            "backoff_cap_seconds": 3600, "concurrency_limit": None,
                            "heavy": False, "consecutive_failures": 0, "created_at": now,
                            "updated_at": now}
    return JobTypeInfo(**{**base, **kw})


def test_a_changed_window_is_a_difference_and_an_equal_one_is_not() -> None:
    declared = JobTypeOptions(rate_limits=(RateLimit(starts=5, per_seconds=1),), rate_key="k")
    same = stored(rate_limits=[{"starts": 5, "per_seconds": 1}], rate_key="k")
    assert differences(same, declared) == {}
    other = stored(rate_limits=[{"starts": 4, "per_seconds": 1}], rate_key="k")
    assert differences(other, declared) == {
        "rate_limits": ([{"starts": 4, "per_seconds": 1}], [{"starts": 5, "per_seconds": 1.0}])}
    assert set(differences(stored(), declared)) == {"rate_limits", "rate_key"}
