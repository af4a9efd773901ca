"""`make demo`: the receipt pipeline end to end on a throwaway local database.

PostgreSQL 15 with pg_cron, the migrations (`supabase db push`), a sample Maildir with a
few receipt mails, the worker in listen mode with the pipeline's handlers, and the five
standard schedules, each run once (run-now) in pipeline order while the jobs are shown
moving. Files, reports and backups stay in .local/demo/ for a look afterwards.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from supajobs.client import AsyncJobsClient
from supajobs.migrations import db_push
from supajobs.transport.postgres import PostgresTransport
from supajobs_dev.cluster import create_cluster, destroy_cluster
from supajobs_dev.demo.progress import Watcher, say, summary
from supajobs_dev.demo.sample_mail import demo_mails, write_maildir
from supajobs_dev.project import create_roles
from supajobs_receipts.pipeline import PipelineSettings, register_pipeline
from supajobs_receipts.schedules import install_standard_schedules
from supajobs_worker.config import WorkerConfig
from supajobs_worker.listen import run_listener
from supajobs_worker.registry import Registry

WORK = Path(os.environ.get("SUPAJOBS_DEMO_DIR", ".local/demo"))


def prepare(work: Path) -> PipelineSettings:
    if work.exists():
        shutil.rmtree(work)  # a fresh demo each time: the database is fresh too
    mails = demo_mails()
    write_maildir(work / "Maildir", mails)
    say(f"sample mailbox: {len(mails)} mails in {work / 'Maildir'}")
    return PipelineSettings(store_dir=work / "store", backup_dir=work / "backups",
                            report_dir=work / "reports", maildir=work / "Maildir")


async def tour(url: str, settings: PipelineSettings) -> dict[str, Any]:
    client = AsyncJobsClient(PostgresTransport(url, role="service_role"))
    registry = Registry()
    register_pipeline(registry, client, settings)
    config = WorkerConfig(database_url=url, db_role="service_role", worker_id="demo-worker",
                          concurrency=4, idle_poll_seconds=1.0, shutdown_grace_seconds=5)
    stop = asyncio.Event()
    worker = asyncio.get_running_loop().create_task(run_listener(config, stop, registry))
    watcher = Watcher(url)
    results: dict[str, Any] = {}
    try:
        schedules = await install_standard_schedules(client)
        say("\nstandard schedules (pg_cron, Asia/Tokyo):")
        for s in schedules:
            say(f"  {s.name:<16} {s.cron_expression:<12} -> {s.job_type}")
        say("\nworker demo-worker listening; running each schedule once, in pipeline order:")
        for s in schedules:
            say(f"\n▶ run now: {s.name} ({s.job_type})")
            job = await client.schedules.run_now(s.name)
            await watcher.until_idle()
            results[s.job_type] = (await client.get_job(job.id)).result or {}
    finally:
        stop.set()
        await worker
        await client.aclose()
    return results


def main() -> int:
    started = time.monotonic()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # the damaged sample PDF is on purpose
    settings = prepare(WORK)
    say("starting a throwaway PostgreSQL 15 with pg_cron ...")
    cluster = create_cluster()
    try:
        create_roles(cluster.url())
        say("applying migrations with `supabase db push` ...")
        db_push(cluster.url())
        results = asyncio.run(tour(cluster.url(), settings))
        totals = summary(cluster.url(), settings.store_dir, results)
    finally:
        destroy_cluster(cluster)
    say("\nsummary")
    for key, value in totals.items():
        say(f"  {key:<15} {value}")
    say(f"\ndone in {time.monotonic() - started:.0f} s; files are in {WORK.resolve()}")
    failed = {k: v for k, v in totals["jobs"].items() if k != "succeeded"}
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
