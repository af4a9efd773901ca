"""The receipt app's standard schedules (Asia/Tokyo), installed by its own SQL function.

mail 08:00 on weekdays, clean-up 23:00, duplicates Sunday 02:00, the monthly report on the
last day at 01:00, backup Monday 03:00; with `with_freee`, the freee sync at 21:00 daily.
Installing again changes nothing.
"""

from __future__ import annotations

from supajobs.client import AsyncJobsClient
from supajobs.functions import Returns, RpcFunction, register
from supajobs.schedule_models import Schedule

register(RpcFunction("install_standard_schedules", Returns.MANY, True, {}, "receipts"))


async def install_standard_schedules(client: AsyncJobsClient, *, with_freee: bool = False
                                     ) -> list[Schedule]:
    """Create (or reset) the five standard schedules, and freee-sync when asked; returns them."""
    args = {"with_freee": True} if with_freee else {}
    return await client.call_many("install_standard_schedules", args, Schedule)
