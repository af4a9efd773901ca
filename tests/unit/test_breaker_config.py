"""The breakers' settings: from the environment, and wrong ones named."""

from __future__ import annotations

import pytest

from supajobs.errors import ConfigurationError
from supajobs.transport.waits import PoolWaits
from supajobs_worker.breakers.pool import PoolBreaker
from supajobs_worker.config import WorkerConfig

URL = "postgresql://localhost/x"


def test_defaults_and_env() -> None:
    default = WorkerConfig(database_url=URL)
    assert (default.cpu_threshold_percent, default.cpu_window_seconds,
            default.cpu_resume_percent) == (90.0, 300.0, 80.0)
    tuned = WorkerConfig.from_env({"SUPAJOBS_DATABASE_URL": URL, "SUPAJOBS_CPU_THRESHOLD": "75",
                                   "SUPAJOBS_CPU_WINDOW": "60", "SUPAJOBS_CPU_RESUME": "50",
                                   "SUPAJOBS_POOL_WAIT_SECONDS": "1.5"})
    assert (tuned.cpu_threshold_percent, tuned.cpu_window_seconds, tuned.cpu_resume_percent,
            tuned.pool_wait_seconds) == (75.0, 60.0, 50.0, 1.5)


@pytest.mark.parametrize(("env", "message"), [
    ({"SUPAJOBS_CPU_THRESHOLD": "lots"}, "SUPAJOBS_CPU_THRESHOLD must be a number"),
    ({"SUPAJOBS_CPU_RESUME": "95"}, "cpu_resume_percent < cpu_threshold_percent"),
    ({"SUPAJOBS_CPU_THRESHOLD": "120"}, "cpu_threshold_percent <= 100"),
    ({"SUPAJOBS_CPU_WINDOW": "0"}, "must be positive"),
])
def test_wrong_settings_are_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        WorkerConfig.from_env({"SUPAJOBS_DATABASE_URL": URL, **env})


def test_waits_are_tracked_only_while_they_last() -> None:
    now = [0.0]
    waits = PoolWaits(clock=lambda: now[0])
    breaker = PoolBreaker(waits.pressure, wait_seconds=2.0, calm_seconds=5.0,
                          clock=lambda: now[0])
    with waits.waiting():
        now[0] = 1.0
        assert waits.pressure().waiting == 1 and breaker.check() is None
        now[0] = 2.5
        assert breaker.check() == "open"
    assert waits.pressure().waiting == 0
    now[0] = 3.0
    assert breaker.check() is None  # calm for 0 s of 5
    now[0] = 8.0
    assert breaker.check() == "close"
