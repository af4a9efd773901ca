"""What the dashboard computes: queue depth, oldest due job, next fire times, sections."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from supajobs import MissingFunctionError, QueueStat
from supajobs_worker.dashboard.overview import ViewSettings, overview
from supajobs_worker.dashboard.schedule_view import next_fire
from supajobs_worker.dashboard.summary import queue_summary

from .dashboard_fakes import FakeTransport, default_responses, execution, fake_client, stat

TOKYO = ZoneInfo("Asia/Tokyo")
# Friday 2026-11-27 23:30 UTC = Saturday 08:30 in Tokyo.
NOW = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)


def test_queue_summary_counts_by_type_and_status() -> None:
    stats = [QueueStat.model_validate(s) for s in default_responses()["queue_stats"]]
    summary = queue_summary(stats)
    rows = {r["job_type"]: r for r in summary["rows"]}
    assert rows["email_scan"]["counts"]["queued"] == 3
    assert rows["email_scan"]["counts"]["dead"] == 2
    assert rows["email_scan"]["total"] == 5
    assert rows["report_generate"]["total"] == 0, "a type without jobs still shows"
    assert summary["totals"] == {"waiting": 0, "queued": 3, "running": 0, "succeeded": 5,
                                 "dead": 2, "cancelled": 0}
    assert summary["oldest_due"] == {"job_type": "email_scan", "age_seconds": 42.0}


def test_oldest_due_is_the_maximum_over_types_and_none_when_nothing_is_due() -> None:
    stats = [QueueStat.model_validate(s) for s in
             [stat("a", "queued", 1, oldest=5.0), stat("b", "queued", 1, oldest=90.0)]]
    assert queue_summary(stats)["oldest_due"] == {"job_type": "b", "age_seconds": 90.0}
    idle = [QueueStat.model_validate(stat("a", "succeeded", 4))]
    assert queue_summary(idle)["oldest_due"] is None
    assert queue_summary(idle)["failure_rate_1h"] is None


def test_failure_rate_is_counted_once_per_type() -> None:
    stats = [QueueStat.model_validate(s) for s in default_responses()["queue_stats"]]
    summary = queue_summary(stats)
    assert (summary["attempts_1h"], summary["failures_1h"]) == (10, 7)
    assert summary["failure_rate_1h"] == pytest.approx(0.7)


def test_weekday_schedule_fires_next_on_monday_in_tokyo() -> None:
    fire = next_fire("0 8 * * 1-5", "Asia/Tokyo", NOW)
    assert fire == datetime(2026, 11, 30, 8, 0, tzinfo=TOKYO)
    offset = fire.utcoffset()
    assert offset is not None and offset.total_seconds() == 9 * 3600


def test_last_day_of_month_schedule() -> None:
    assert next_fire("0 1 L * *", "Asia/Tokyo", NOW) == datetime(2026, 11, 30, 1, 0, tzinfo=TOKYO)


def test_next_fire_follows_daylight_saving_time_of_the_zone() -> None:
    # New York leaves DST on 2026-11-01: 09:00 local is 13:00 UTC before, 14:00 UTC after.
    before = next_fire("0 9 * * *", "America/New_York", datetime(2026, 10, 31, 0, 0, tzinfo=UTC))
    after = next_fire("0 9 * * *", "America/New_York", datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    assert before.astimezone(UTC).hour == 13
    assert after.astimezone(UTC).hour == 14


@pytest.mark.parametrize(("cron", "zone", "message"), [
    ("0 8 * * *", "Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
    ("61 8 * * *", "Asia/Tokyo", "invalid cron expression '61 8 * * *'"),
])
def test_bad_schedule_input_is_named(cron: str, zone: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        next_fire(cron, zone, NOW)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_fire("0 8 * * *", "Asia/Tokyo", datetime(2026, 1, 1))


SCHEDULE: dict[str, object] = {"id": "00000000-0000-0000-0000-000000000001", "name": "mail", "payload": {},
            "cron_expression": "0 8 * * 1-5", "job_type": "email_scan", "priority": None,
            "timezone": "Asia/Tokyo", "overlap": "skip", "enabled": True,
            "created_at": "2026-11-01T00:00:00Z", "updated_at": "2026-11-01T00:00:00Z"}


async def test_overview_shows_schedules_with_next_fire_and_last_outcome() -> None:
    fake = FakeTransport({"list_schedules": [SCHEDULE],
                          "schedule_executions": [execution(4, "failed", "imap down")]})
    data = await overview(fake_client(fake), ViewSettings(), now=NOW)
    [row] = data["schedules"]
    assert row["next_fire"] == "2026-11-30T08:00:00+09:00"
    assert row["last_outcome"]["status"] == "failed"
    assert row["last_outcome"]["error"] == "imap down"
    assert ("schedule_executions", {"name": "mail", "max_rows": 1}) in fake.calls


async def test_paused_schedule_has_no_next_fire() -> None:
    fake = FakeTransport({"list_schedules": [{**SCHEDULE, "enabled": False}]})
    data = await overview(fake_client(fake), ViewSettings(), now=NOW)
    assert data["schedules"][0]["next_fire"] is None
    assert data["schedules"][0]["last_outcome"] is None


async def test_a_failing_section_reports_its_error_and_the_rest_still_shows() -> None:
    missing = MissingFunctionError("function jobs.execution_timeline does not exist",
                                   code="42883")
    fake = FakeTransport({"execution_timeline": missing})
    data = await overview(fake_client(fake), ViewSettings(bucket_seconds=60), now=NOW)
    assert data["timeline"] == {
        "error": "MissingFunctionError: function jobs.execution_timeline does not exist"}
    assert data["queue"]["totals"]["dead"] == 2
    assert data["executions"][0]["error"] == "boom"
    assert ("execution_timeline", {"bucket_seconds": 60, "window_seconds": 21600}) in fake.calls
