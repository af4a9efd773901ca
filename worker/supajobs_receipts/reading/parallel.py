"""Read many receipts on every core: a pool of reading processes, outcomes in input order.

Processes, not threads: preprocessing and parsing are Python and hold the GIL. Each child
runs one Tesseract at a time on one thread (OMP_THREAD_LIMIT=1): N single-threaded engines
on N cores beat N engines whose OpenMP threads fight over the same cores. A child keeps its
engines (engine.py), so the models load once per child, not once per file.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .errors import UnreadableReason, UnreadableReceipt
from .model import ReceiptFields
from .reader import ReadOptions, read_receipt

Outcome = ReceiptFields | UnreadableReceipt
Reader = Callable[[str], Outcome]  # module-level, so that a child process can unpickle it
# forkserver: children start from a clean single-threaded server, not from a process that
# may run an event loop and threads (the worker).
_CONTEXT = multiprocessing.get_context("forkserver")


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. a container's share)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def parse_jobs(value: object) -> int:
    """A --jobs / SUPAJOBS_OCR_WORKERS value: a whole number of processes, at least 1."""
    text = str(value).strip()
    if not text.lstrip("+").isdigit() or int(text) < 1:
        raise ValueError(f"must be a whole number of processes, at least 1; got {text!r}")
    return int(text)


def init_child() -> None:
    """In each reading process: one Tesseract thread, and Ctrl-C is the parent's business."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["OMP_THREAD_LIMIT"] = "1"  # read when libtesseract (libgomp) loads, later


def read_path(path: str | os.PathLike[str], options: ReadOptions | None = None) -> Outcome:
    """One file's outcome: its fields, or why it cannot be read (never an exception)."""
    try:
        return read_receipt(path, options=options)
    except UnreadableReceipt as exc:
        return exc
    except OSError as exc:  # unreadable on disk: a per-file outcome like any other
        return UnreadableReceipt(UnreadableReason.EMPTY_FILE, f"cannot read: {exc.strerror}")


def read_data(data: bytes, filename: str | None, options: ReadOptions | None = None) -> Outcome:
    """read_path for a file's bytes (a stored receipt, in receipt_process)."""
    try:
        return read_receipt(data, filename, options)
    except UnreadableReceipt as exc:
        return exc


def _preload_here() -> None:
    """Have the fork server import the reader once, so each child starts with it imported
    (0.4 s of CPU per child otherwise); keeps what others asked it to preload."""
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    wanted = list(getattr(server, "_preload_modules", None) or [])
    if __name__ not in wanted:
        _CONTEXT.set_forkserver_preload([*wanted, __name__])  # effective until it starts


def reading_pool(processes: int) -> ProcessPoolExecutor:
    _preload_here()
    return ProcessPoolExecutor(max_workers=processes, mp_context=_CONTEXT,
                               initializer=init_child)


def close_pool(pool: ProcessPoolExecutor, *, finished: bool) -> None:
    """Shut the pool down; when work is left (Ctrl-C, an error), kill its processes."""
    if finished:
        pool.shutdown(wait=True)
        return
    processes = list(getattr(pool, "_processes", {}).values())  # no public kill before 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(5)


def limit_threads() -> None:
    """One OpenMP thread per Tesseract in this process too (unless the caller chose)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _died(path: str | os.PathLike[str], read: Reader) -> Outcome:
    """Read one file alone, after a reading process died: if it dies again, this file did it."""
    pool = reading_pool(1)
    finished = False
    try:
        outcome = pool.submit(read, os.fspath(path)).result()
        finished = True
        return outcome
    except BrokenProcessPool:
        finished = True
        return UnreadableReceipt(UnreadableReason.OCR_FAILED,
                                 "the reading process died on this file (crashed or killed)")
    finally:
        close_pool(pool, finished=finished)


def read_files(paths: Sequence[Path], jobs: int, read: Reader = read_path
               ) -> Iterator[tuple[Path, Outcome]]:
    """Each path with its outcome, in the order given; `jobs` processes read at once (1: in
    this process, one file after the other). A file whose reading kills its process is
    reported unreadable, and the others are still read."""
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    if jobs == 1 or len(paths) <= 1:
        for path in paths:
            yield path, read(os.fspath(path))
        return
    done = 0
    for _ in range(2):  # a dead process breaks the whole pool: go on once with a new one
        pool = reading_pool(min(jobs, len(paths) - done))
        finished = False
        try:
            futures = [pool.submit(read, os.fspath(path)) for path in paths[done:]]
            for future in futures:
                outcome = future.result()
                yield paths[done], outcome
                done += 1
            finished = True
            return
        except BrokenProcessPool:
            finished = True
        finally:
            close_pool(pool, finished=finished)
    for path in paths[done:]:  # it broke twice: one file at a time finds the culprit
        yield path, _died(path, read)
