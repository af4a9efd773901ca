"""ClaimedJob (claim_work rows) and enqueue_many_ids: what the database answers is checked, and
a malformed answer is an error that names it."""

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


async def test_enqueue_many_ids_checks_first_and_names_malformed_answers() -> None:
    from supajobs.errors import ValidationError
    from unit.worker_fakes import RecordingTransport, client

    sent = RecordingTransport(enqueue_batch_ids=lambda args: [{"id": 5}, {"id": "6"}])
    assert await client(sent).enqueue_many_ids([{"job_type": "a_b"}, {"job_type": "a_b"}]) == [5, 6]
    assert sent.named("enqueue_batch_ids") == [{"items": [{"job_type": "a_b"}, {"job_type": "a_b"}]}]
    with pytest.raises(ValidationError, match=r"jobs\[1\]\.payload must be a JSON object"):
        await client(sent).enqueue_many_ids([{"job_type": "a_b"}, {"job_type": "a_b", "payload": 1}])
    assert len(sent.calls) == 1  # nothing sent for a bad batch
    broken = RecordingTransport(enqueue_batch_ids=lambda args: [{"identifier": 5}])
    with pytest.raises(SupajobsError, match="enqueue_batch_ids returned malformed rows"):
        await client(broken).enqueue_many_ids([{"job_type": "a_b"}])
