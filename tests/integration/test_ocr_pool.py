"""The worker's reading processes (pipeline.ocr_pool): two receipts read at the same time in
two processes while the event loop stays free; cancel, crash and settings."""

from __future__ import annotations

import asyncio
import time
from functools import partial
from pathlib import Path

import pytest

from supajobs.errors import ConfigurationError
from supajobs_dev.demo.sample_receipts import render_png
from supajobs_receipts.job_types import ReceiptJobType
from supajobs_receipts.pipeline.ocr_pool import OcrPool, ReadingProcessDiedError
from supajobs_receipts.pipeline.register import OPTIONS
from supajobs_receipts.pipeline.settings import PipelineSettings
from supajobs_receipts.reading import UnreadableReason, UnreadableReceipt, read_receipt
from supajobs_receipts.reading.parallel import usable_cores
from support.reading_files import read_data_or_die, read_log, timed_read

LINES = ["^喫茶ひだまり 駅前店", "2026年10月30日", "ブレンドコーヒー|¥550", "合計|¥550"]


def overlap(a: dict[str, float], b: dict[str, float]) -> float:
    return min(a["end"], b["end"]) - max(a["start"], b["start"])


async def test_two_reads_overlap_in_two_processes_and_the_loop_stays_free(
        tmp_path: Path) -> None:
    image = render_png(LINES)
    pool = OcrPool(2, read=partial(timed_read, str(tmp_path)))
    gaps: list[float] = []

    async def tick() -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.02)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    ticker = asyncio.create_task(tick())
    try:
        first, second = await asyncio.gather(pool.read(image, "a.png"), pool.read(image, "b.png"))
    finally:
        ticker.cancel()
        pool.close()
    assert first == second == read_receipt(image, "a.png") and first.total == 550
    a, b = read_log(tmp_path)
    assert a["pid"] != b["pid"]
    assert overlap(a, b) > 0.5 * min(a["end"] - a["start"], b["end"] - b["start"])
    # Nothing blocked the loop while Tesseract ran: a read on the loop would leave a gap as
    # long as the read. (The first tick may wait for the pool's one-time start.)
    shortest = min(a["end"] - a["start"], b["end"] - b["start"])
    assert max(gaps[1:]) < 0.5 * shortest, (gaps, shortest)


async def test_a_cancelled_read_that_waits_never_runs(tmp_path: Path) -> None:
    image = render_png(LINES)
    pool = OcrPool(1, read=partial(timed_read, str(tmp_path)))
    try:
        running = asyncio.create_task(pool.read(image, "first.png"))
        waiting = asyncio.create_task(pool.read(image, "second.png"))
        await asyncio.sleep(0.2)
        waiting.cancel()
        assert (await running).total == 550
        with pytest.raises(asyncio.CancelledError):
            await waiting
    finally:
        pool.close()
    assert [r["file"] for r in read_log(tmp_path)] == ["first.png"]


async def test_a_dead_reading_process_fails_the_job_and_the_next_read_works() -> None:
    image = render_png(LINES)
    pool = OcrPool(2, read=read_data_or_die)
    try:
        with pytest.raises(ReadingProcessDiedError, match=r"die-now\.png died"):
            await pool.read(image, "die-now.png")
        assert (await pool.read(image, "fine.png")).total == 550
    finally:
        pool.close()


async def test_unreadable_receipts_raise_as_read_receipt_does() -> None:
    pool = OcrPool(1)
    try:
        with pytest.raises(UnreadableReceipt) as caught:
            await pool.read(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "broken.png")
        assert caught.value.reason is UnreadableReason.CORRUPT_IMAGE
    finally:
        pool.close()
    with pytest.raises(ValueError, match="at least 1"):
        OcrPool(0)


def test_ocr_workers_default_to_the_cores_and_can_be_lowered() -> None:
    assert PipelineSettings.from_env({}).ocr_workers == usable_cores()
    assert PipelineSettings.from_env({"SUPAJOBS_OCR_WORKERS": "1"}).ocr_workers == 1


@pytest.mark.parametrize("value", ["0", "-3", "all", "1.5"])
def test_bad_ocr_workers_is_a_configuration_error_naming_it(value: str) -> None:
    with pytest.raises(ConfigurationError, match="SUPAJOBS_OCR_WORKERS must be a whole number"):
        PipelineSettings.from_env({"SUPAJOBS_OCR_WORKERS": value})
    with pytest.raises(ConfigurationError, match="ocr_workers must be at least 1"):
        PipelineSettings(ocr_workers=0)


def test_a_bad_ocr_engine_stops_the_worker_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPAJOBS_OCR_ENGINE", "quantum")
    with pytest.raises(ConfigurationError, match="SUPAJOBS_OCR_ENGINE must be api or cli"):
        PipelineSettings.from_env({})


def test_receipt_process_has_no_queue_wide_limit() -> None:
    options = OPTIONS[ReceiptJobType.RECEIPT_PROCESS]
    assert options.concurrency_limit is None and options.heavy
