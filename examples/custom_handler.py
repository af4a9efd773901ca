"""A custom job type handled by a plain function: register, enqueue, claim, run, complete.

The real worker (supajobs-worker) does this with webhooks, heartbeats and timeouts; this is
the smallest loop that shows the lease protocol.
"""

import traceback
from typing import Any

from supajobs import JobsClient, JobStatus

WORKER_ID = "example-worker"


def count_words(payload: dict[str, Any]) -> dict[str, Any]:
    return {"words": len(str(payload["text"]).split())}


def run_once(client: JobsClient) -> int:
    """Claim and run what is due for our type; returns how many jobs ran."""
    jobs = client.worker.claim(WORKER_ID, ["word_count"], batch_size=10)
    for job in jobs:
        try:
            result = count_words(job.payload)
        except Exception:
            client.worker.fail(WORKER_ID, job.id, traceback.format_exc(), attempt=job.attempts)
        else:
            client.worker.complete(WORKER_ID, job.id, result, attempt=job.attempts)
    return len(jobs)


def main() -> None:
    with JobsClient.from_env() as client:
        client.job_types.upsert("word_count", max_attempts=3, timeout_seconds=30)
        job = client.enqueue("word_count", {"text": "receipts arrive by mail every morning"})
        run_once(client)
        done = client.wait(job.id, timeout=10)
        assert done.status is JobStatus.SUCCEEDED
        print(f"job {done.id}: {done.status}, result {done.result}")


if __name__ == "__main__":
    main()
