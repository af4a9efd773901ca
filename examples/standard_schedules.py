"""Install the receipt app's five standard schedules (Asia/Tokyo) and print the next fires
and conflicts. The schedules belong to the receipt app; planning them is the engine's."""

import asyncio

from supajobs import AsyncJobsClient, JobsClient
from supajobs_receipts.schedules import install_standard_schedules


async def install() -> None:
    async with AsyncJobsClient.from_env() as client:
        for schedule in await install_standard_schedules(client):
            print(f"{schedule.name:<16} {schedule.cron_expression:<12} {schedule.timezone} "
                  f"-> pg_cron (UTC): {schedule.utc_expression}")


def main() -> None:
    asyncio.run(install())
    with JobsClient.from_env() as client:
        plan = client.schedules.plan(days=7)
        for fire in plan.fires[:5]:
            print(f"next: {fire.at:%a %Y-%m-%d %H:%M %Z}  {fire.schedule}")
        for conflict in plan.conflicts:
            print(f"conflict: {conflict.first.schedule} / {conflict.second.schedule}: "
                  f"{conflict.reason}; try {conflict.suggestion}")


if __name__ == "__main__":
    main()
