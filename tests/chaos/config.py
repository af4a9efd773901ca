"""What a chaos run does: how many jobs, how many workers, which faults and when."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class ChaosConfig:
    jobs: int = 600
    workers: int = 3
    concurrency: int = 4            # per worker
    lease_seconds: int | None = None  # None: the worker's default, as in production
    sleep_ms: tuple[int, int] = (100, 400)  # handler time, uniform
    enqueue_per_second: float = 40.0
    enqueue_batch: int = 10         # one transaction (hence one wake-up) per batch
    first_kill_after: float = 3.0   # seconds after the first enqueue
    kill_every: float = 4.0
    max_kills: int = 3
    restart_db_after: float | None = 9.0  # once; None: never
    restart_pooler_after: float | None = None  # pgbouncer's restart, when run through it
    drop_rate: float = 0.2
    duplicate_rate: float = 0.1
    poison_every: int = 100         # every Nth job raises NonRetryableError (0: none)
    sweep_every: float = 60.0       # pg_cron 1.4's sweeper (every minute), played by the test
    deadline: float = 80.0          # seconds for the whole run, after which it is a failure
    seed: int = 8

    def __post_init__(self) -> None:
        if self.jobs < 1 or self.workers < 1 or self.concurrency < 1:
            raise ValueError("jobs, workers and concurrency must be positive")
        if not 0 <= self.sleep_ms[0] <= self.sleep_ms[1]:
            raise ValueError(f"sleep_ms must be an ordered pair, got {self.sleep_ms}")
        if self.enqueue_per_second <= 0 or self.enqueue_batch < 1:
            raise ValueError("enqueue rate and batch must be positive")
        if self.kill_every <= 0 or self.deadline <= 0 or self.sweep_every <= 0:
            raise ValueError("kill_every, sweep_every and deadline must be positive")

    def is_poison(self, index: int) -> bool:
        return self.poison_every > 0 and index % self.poison_every == self.poison_every - 1

    def as_json(self) -> dict[str, Any]:
        return asdict(self)
