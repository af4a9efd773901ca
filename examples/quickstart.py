"""Quick start: enqueue a receipt job, look at it, wait for it (sync client).

Needs SUPAJOBS_DATABASE_URL (or SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY).
"""

from supajobs import JobsClient, Priority
from supajobs_receipts.job_types import ReceiptJobType


def main() -> None:
    with JobsClient.from_env() as client:
        job = client.enqueue(ReceiptJobType.RECEIPT_PROCESS, {"file": "inbox/r-2026-11.pdf"},
                             priority=Priority.HIGH, idempotency_key="quickstart-r-2026-11")
        print(f"enqueued job {job.id}: {job.job_type} ({job.status}, priority {job.priority})")
        again = client.enqueue(ReceiptJobType.RECEIPT_PROCESS, {"file": "inbox/r-2026-11.pdf"},
                               idempotency_key="quickstart-r-2026-11")
        print(f"same idempotency key -> same job: {again.id == job.id}")
        for stat in client.stats():
            if stat.status is not None:
                print(f"  {stat.job_type:<18} {stat.status:<9} {stat.jobs}")


if __name__ == "__main__":
    main()
