"""Peak resident memory and CPU time of a process and all its descendants, sampled in a
thread (a process that ends between two samples loses at most one interval of CPU time)."""

from __future__ import annotations

import threading
from types import TracebackType

import psutil


class PeakRss:
    def __init__(self, pid: int, every: float = 0.05) -> None:
        self._root, self._every = psutil.Process(pid), every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self.peak_mb = 0.0
        self._cpu: dict[int, float] = {}  # last seen user+system seconds, per process
        self._base: dict[int, float] = {}  # what those that ran before the start had used

    @property
    def cpu_seconds(self) -> float:
        return sum(cpu - self._base.get(pid, 0.0) for pid, cpu in self._cpu.items())

    def _total(self) -> int:
        total = 0
        try:
            processes = [self._root, *self._root.children(recursive=True)]
        except psutil.Error:  # the root has ended
            return 0
        for process in processes:
            try:
                total += process.memory_info().rss
                times = process.cpu_times()
                self._cpu[process.pid] = times.user + times.system
            except psutil.Error:  # ended between the listing and the reading
                continue
        return total

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, self._total() / 2**20)
            self._stop.wait(self._every)

    def __enter__(self) -> PeakRss:
        self._total()
        self._base = dict(self._cpu)
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()
