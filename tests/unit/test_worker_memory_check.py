"""The memory check before each claim reads the machine's memory at most every check_every
seconds (reading /proc on every claim cost ~0.1-0.3 ms of wake-up latency)."""

from __future__ import annotations

import time

from supajobs_worker.resources import ResourceMonitor


class Pressure:
    def __init__(self) -> None:
        self.percent, self.reads = 50.0, 0

    def __call__(self) -> float:
        self.reads += 1
        return self.percent


def test_pressure_is_read_at_most_every_check_every_seconds() -> None:
    pressure = Pressure()
    monitor = ResourceMonitor(95.0, pressure, check_every=0.2)
    reads = pressure.reads
    assert not monitor.over_threshold()
    pressure.percent = 97.0
    assert not monitor.over_threshold()  # within the interval: the last answer stands
    assert pressure.reads == reads + 1
    time.sleep(0.25)
    assert monitor.over_threshold()
    assert pressure.reads == reads + 2


def test_check_every_zero_reads_every_time() -> None:
    pressure = Pressure()
    monitor = ResourceMonitor(95.0, pressure, check_every=0)
    assert not monitor.over_threshold()
    pressure.percent = 96.0
    assert monitor.over_threshold()
