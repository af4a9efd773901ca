"""Bad input is refused before any round trip, with a message naming the problem."""

from __future__ import annotations

from datetime import datetime

import pytest
import respx

from supajobs import AsyncJobsClient, ValidationError, backoff_seconds
from supajobs.cron_rules import check_cron
from supajobs.transport.postgrest import PostgrestTransport

URL = "https://proj.supabase.co"


@pytest.mark.parametrize(("call", "field", "message"), [
    (lambda c: c.enqueue("email_scan", {"x": "y" * 262144}), "payload", "the limit is 262144"),
    (lambda c: c.enqueue("email_scan", max_attempts=6), "max_attempts", "from 1 to 5, got 6"),
    (lambda c: c.enqueue("email_scan", timeout=3600), "timeout_seconds", "30 minutes"),
    (lambda c: c.enqueue("email_scan", priority="urgent"), "priority", '"urgent" is not one'),
    (lambda c: c.enqueue("email_scan", run_at=datetime(2030, 1, 1)), "run_at", "timezone-aware"),
    (lambda c: c.enqueue_many([{"job_type": "email_scan"}, {"job_type": 3}]), "job_type",
     "jobs[1].job_type is required"),
    (lambda c: c.schedules.upsert("s", "0 8 * * * *", "email_scan"), "cron_expression",
     "expected 5 fields"),
    (lambda c: c.schedules.upsert("s", "30 seconds", "email_scan"), "cron_expression",
     "second-level schedules are pg_cron's own syntax"),
    (lambda c: c.schedules.upsert("s", "0 1 L * *", "email_scan", timezone="Asia/Tokio"),
     "timezone", "'Asia/Tokio' is not a known IANA time zone"),
    (lambda c: c.schedules.upsert("s", "0 1 * * *", "email_scan", overlap="never"), "overlap",
     "overlap 'never' is not one of skip, queue, allow"),
])
async def test_refused_before_the_round_trip(call, field: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with respx.mock(assert_all_called=False) as router:
        route = router.post(url__startswith=URL)
        client = AsyncJobsClient(PostgrestTransport(URL, "key"))
        with pytest.raises(ValidationError, match=message.replace("[", r"\[").replace("]", r"\]")) as err:
            await call(client)
        assert err.value.field == field
        assert route.call_count == 0
        await client.aclose()


@pytest.mark.parametrize("expr", ["0 1 L * *", "0 8 * * MON-FRI", "@weekly", " 0  1 * * * "])
def test_cron_accepted_and_normalised(expr: str) -> None:
    assert check_cron(expr) == " ".join(expr.split())


def test_backoff_doubles_then_caps_and_jitters_down() -> None:
    assert [backoff_seconds(10, 100, a, 0, 0.9) for a in range(1, 6)] == [10, 20, 40, 80, 100]
    assert backoff_seconds(10, 100, 0, 0, 0) == 10  # attempt < 1 counts as the first
    assert backoff_seconds(10, 100, 2, 0.5, 1.0) == 10  # full draw removes half
