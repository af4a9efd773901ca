"""The sync JobsClient mirrors the async one (over both transports) and plan() agrees."""

from __future__ import annotations

import pytest
import respx

from supajobs import JobsClient, JobStatus, NotFoundError
from supajobs.transport.postgres import PostgresTransport
from supajobs.transport.postgrest import PostgrestTransport
from support.postgrest_mock import BASE_URL, SERVICE_KEY, PostgrestMock
from support.rpc import service_connection
from support.sdk_clients import FAST_RETRY
from support.sdk_scenarios import standard_schedules


def test_sync_client_over_both_transports(db_url: str) -> None:
    with service_connection(db_url) as conn:
        standard_schedules(conn)
    mock = PostgrestMock(db_url)
    direct = JobsClient(PostgresTransport(db_url, role="service_role"), retry=FAST_RETRY)
    try:
        with respx.mock(assert_all_called=False) as router:
            mock.install(router)
            rest = JobsClient(PostgrestTransport(BASE_URL, SERVICE_KEY), retry=FAST_RETRY)
            job = rest.enqueue("email_scan", {"box": "inbox"})
            assert direct.get_job(job.id) == rest.get_job(job.id) == job
            assert rest.cancel(job.id).status is JobStatus.CANCELLED
            plan_rest, plan_direct = rest.schedules.plan(days=31), direct.schedules.plan(days=31)
            rest.close()
        assert [c.reason for c in plan_rest.conflicts] == [c.reason for c in plan_direct.conflicts]
        assert len(plan_rest.fires) >= 31 + 4  # daily clean-up alone fires every day
        with pytest.raises(NotFoundError, match="job 12345 does not exist"):
            direct.get_job(12345)
    finally:
        direct.close()
        mock.close()
