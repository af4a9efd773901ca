"""ClaimedJob: built from claim_work rows; a malformed row is an error that names it."""

from __future__ import annotations

import pytest

from supajobs.claimed import ClaimedJob
from supajobs.errors import SupajobsError

ROW = {"id": "7", "job_type": "email_scan", "payload": {"a": 1}, "attempts": 2,
       "timeout_seconds": 60}


def test_a_row_becomes_a_claimed_job() -> None:
    assert ClaimedJob.from_row(ROW) == ClaimedJob(7, "email_scan", {"a": 1}, 2, 60)


@pytest.mark.parametrize(("change", "names"), [
    ({"payload": [1]}, "payload is list"),
    ({"attempts": "two"}, "invalid literal"),
    ({"id": None}, "NoneType"),
])
def test_a_malformed_row_is_named(change: dict[str, object], names: str) -> None:
    with pytest.raises(SupajobsError, match="claim_work returned a malformed row") as err:
        ClaimedJob.from_row({**ROW, **change})
    assert names in str(err.value)


def test_a_missing_column_is_named() -> None:
    with pytest.raises(SupajobsError, match="timeout_seconds"):
        ClaimedJob.from_row({k: v for k, v in ROW.items() if k != "timeout_seconds"})
