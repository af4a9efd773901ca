"""A real worker runs receipt_process jobs' OCR at the same time, one process per core."""

from __future__ import annotations

import asyncio
import time
from datetime import date
from functools import partial
from pathlib import Path

import psycopg

from integration.test_pipeline_support import mail_with, maildir_with, settings
from supajobs import AsyncJobsClient
from supajobs.transport.postgres import PostgresTransport
from supajobs_dev.demo.sample_receipts import receipt_lines, render_png
from supajobs_receipts.pipeline import Pipeline, register_pipeline
from supajobs_receipts.pipeline.drain import run_until_idle
from supajobs_receipts.pipeline.ocr_pool import OcrPool
from supajobs_receipts.pipeline.receipts_api import ReceiptsApi
from supajobs_worker.config import WorkerConfig
from supajobs_worker.registry import Registry
from supajobs_worker.service import WorkerService
from support.reading_files import read_log, timed_read


def client(db_url: str) -> AsyncJobsClient:
    return AsyncJobsClient(PostgresTransport(db_url, role="service_role"))


async def test_two_receipt_process_jobs_read_at_the_same_time(db_url: str,
                                                              tmp_path: Path) -> None:
    log_dir = tmp_path / "reads"
    log_dir.mkdir()
    photos = [render_png(receipt_lines(name, date(2026, 10, 30), [("ランチ", price)]))
              for name, price in (("食堂いろは", 980), ("喫茶ひだまり", 550))]
    box = maildir_with(tmp_path, [mail_with(n, (f"photo{n}.png", "image/png", photo))
                                  for n, photo in enumerate(photos, 1)])
    config = settings(tmp_path, maildir=box)
    scan = client(db_url)
    scanning = Registry()
    register_pipeline(scanning, scan, config)
    await scan.enqueue("email_scan")
    await run_until_idle(scan, scanning, job_types=["email_scan"])  # two stored receipts
    await scan.aclose()

    jobs = client(db_url)
    pipe = Pipeline(jobs, config, ReceiptsApi(jobs), config.store(),
                    OcrPool(2, read=partial(timed_read, str(log_dir))))
    registry = Registry()
    register_pipeline(registry, None, pipeline=lambda: pipe)
    worker = WorkerService(WorkerConfig(database_url=db_url, db_role="service_role",
                                        worker_id="ocr-worker", concurrency=4,
                                        job_types=("receipt_process",), idle_poll_seconds=1),
                           registry, mode="listen", client=jobs)
    await worker.start()
    try:
        deadline = time.monotonic() + 120
        while len(read_log(log_dir)) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
    finally:
        await worker.stop(grace=60)
        pipe.ocr.close()
    first, second = read_log(log_dir)
    assert first["pid"] != second["pid"]
    assert second["start"] < first["end"], "the second OCR waited for the first"
    with psycopg.connect(db_url, autocommit=True) as conn:
        done = conn.execute("select status::text, (result ->> 'total')::int from jobs.jobs"
                            " where job_type = 'receipt_process' order by 2").fetchall()
    assert done == [("succeeded", 550), ("succeeded", 980)]
