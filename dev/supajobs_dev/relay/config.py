"""Relay settings, including the fault injection used by chaos tests."""

from __future__ import annotations

from dataclasses import dataclass

APPLICATION_NAME = "supajobs pg_net relay"  # net.check_worker_is_up() looks for "pg_net"


@dataclass(frozen=True)
class RelayConfig:
    """How the relay claims, sends and (for chaos tests) mistreats requests.

    drop_rate: fraction of requests never sent (recorded with an error_msg saying so).
    duplicate_rate: fraction sent twice.
    delay_rate / max_delay_ms: fraction held back a random 0..max_delay_ms before sending.
    seed: makes every fault decision a function of (seed, request id), so reproducible.
    """

    batch_size: int = 100
    max_concurrency: int = 100
    poll_interval_seconds: float = 1.0
    response_ttl_seconds: float = 6 * 3600
    prune_interval_seconds: float = 60.0
    reconnect_delay_seconds: float = 1.0
    shutdown_grace_seconds: float = 5.0
    drop_rate: float = 0.0
    duplicate_rate: float = 0.0
    delay_rate: float = 0.0
    max_delay_ms: int = 0
    seed: int | None = None

    def __post_init__(self) -> None:
        for name in ("drop_rate", "duplicate_rate", "delay_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        for name in ("batch_size", "max_concurrency"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        for name in ("poll_interval_seconds", "response_ttl_seconds", "prune_interval_seconds"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        for name in ("reconnect_delay_seconds", "shutdown_grace_seconds", "max_delay_ms"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative, got {getattr(self, name)}")
        if self.delay_rate > 0 and self.max_delay_ms == 0:
            raise ValueError("delay_rate needs max_delay_ms > 0")

    @property
    def injects_faults(self) -> bool:
        return self.drop_rate > 0 or self.duplicate_rate > 0 or self.delay_rate > 0
