"""Install the five standard schedules (Asia/Tokyo) and print the next fires and conflicts."""

from supajobs import JobsClient


def main() -> None:
    with JobsClient.from_env() as client:
        for schedule in client.schedules.install_standard():
            print(f"{schedule.name:<16} {schedule.cron_expression:<12} {schedule.timezone} "
                  f"-> pg_cron (UTC): {schedule.utc_expression}")
        plan = client.schedules.plan(days=7)
        for fire in plan.fires[:5]:
            print(f"next: {fire.at:%a %Y-%m-%d %H:%M %Z}  {fire.schedule}")
        for conflict in plan.conflicts:
            print(f"conflict: {conflict.first.schedule} / {conflict.second.schedule}: "
                  f"{conflict.reason}; try {conflict.suggestion}")


if __name__ == "__main__":
    main()
