"""The worker's reading processes: receipt_process jobs read on every core at once.

One pool per pipeline, of `ocr_workers` processes (default: the usable cores, lowered with
SUPAJOBS_OCR_WORKERS), started on the first read and kept, so each process loads the OCR
models once. The event loop only awaits: reading happens in the processes (reading.parallel).
At most `processes` reads are handed to the pool; the others wait here, where a cancel (job
timeout, lost lease, shutdown) takes them out at once. One already being read finishes in
its process, bounded by Tesseract's own time limit (ReadOptions.ocr_timeout).
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from supajobs_receipts.reading import ReadOptions, ReceiptFields, UnreadableReceipt
from supajobs_receipts.reading.parallel import Outcome, close_pool, read_data, reading_pool

DataReader = Callable[[bytes, str | None, ReadOptions | None], Outcome]


class ReadingProcessDiedError(RuntimeError):
    """The process reading this receipt died (crashed or killed): the job is tried again."""


class OcrPool:
    def __init__(self, processes: int, read: DataReader = read_data) -> None:
        if processes < 1:
            raise ValueError(f"ocr_workers must be at least 1, got {processes}")
        self.processes, self._read = processes, read
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()  # pipelines are shared by a worker's handlers
        # one gate per event loop (a semaphore belongs to the loop it first waited in)
        self._gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = \
            weakref.WeakKeyDictionary()

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = reading_pool(self.processes)
            return self._pool

    def _discard(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        close_pool(broken, finished=True)

    async def read(self, data: bytes, filename: str | None,
                   options: ReadOptions | None = None) -> ReceiptFields:
        """The receipt's fields; raises UnreadableReceipt as read_receipt does."""
        loop = asyncio.get_running_loop()
        gate = self._gates.setdefault(loop, asyncio.Semaphore(self.processes))
        async with gate:
            return await self._submit(loop, data, filename, options)

    async def _submit(self, loop: asyncio.AbstractEventLoop, data: bytes, filename: str | None,
                      options: ReadOptions | None) -> ReceiptFields:
        pool = self._current()
        try:
            outcome = await loop.run_in_executor(pool, self._read, data, filename, options)
        except BrokenProcessPool as exc:
            self._discard(pool)  # the next read starts a fresh pool
            raise ReadingProcessDiedError(
                f"the process reading {filename or 'the receipt'} died (crashed or killed); "
                "the job will be retried") from exc
        if isinstance(outcome, UnreadableReceipt):
            raise outcome
        return outcome

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            close_pool(pool, finished=False)
