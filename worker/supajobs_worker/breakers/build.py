"""The breakers a worker runs, from its configuration and its transport."""

from __future__ import annotations

from supajobs.transport.base import Transport
from supajobs_worker.breakers.cpu import CpuBreaker
from supajobs_worker.breakers.guard import Breaker, ResourceBreakers
from supajobs_worker.breakers.pool import PoolBreaker
from supajobs_worker.config import WorkerConfig


def build_breakers(config: WorkerConfig, transport: Transport) -> ResourceBreakers:
    """CPU always; the pool breaker where the transport has a pool of ours to watch (the
    direct drivers: PostgREST's pool is Supabase's)."""
    items: list[Breaker] = [CpuBreaker(config.cpu_threshold_percent, config.cpu_window_seconds,
                                       config.cpu_resume_percent)]
    pressure = getattr(transport, "pool_pressure", None)
    if callable(pressure):
        items.append(PoolBreaker(pressure, config.pool_wait_seconds, config.pool_calm_seconds))
    return ResourceBreakers(items)
