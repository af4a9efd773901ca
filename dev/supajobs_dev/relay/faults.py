"""Deterministic fault decisions for chaos tests: lost, duplicated and late webhooks."""

from __future__ import annotations

import random
from dataclasses import dataclass

from supajobs_dev.relay.config import RelayConfig

DROPPED_MESSAGE = "supajobs relay: request dropped by fault injection (not sent)"


@dataclass(frozen=True)
class FaultDecision:
    drop: bool = False
    duplicate: bool = False
    delay_seconds: float = 0.0


NO_FAULT = FaultDecision()


def decide(config: RelayConfig, request_id: int) -> FaultDecision:
    """The faults applied to one request.

    Seeded per (seed, request id) rather than from one shared stream, so the outcome does
    not depend on batching or on the order concurrent sends happen to run in.
    """
    if not config.injects_faults:
        return NO_FAULT
    rng = random.Random() if config.seed is None else random.Random(f"{config.seed}:{request_id}")
    # Always draw all four numbers, so changing one rate never reshuffles the others.
    drop_draw, duplicate_draw, delay_draw, delay_fraction = (rng.random() for _ in range(4))
    if drop_draw < config.drop_rate:
        return FaultDecision(drop=True)
    delayed = delay_draw < config.delay_rate
    return FaultDecision(
        duplicate=duplicate_draw < config.duplicate_rate,
        delay_seconds=delay_fraction * config.max_delay_ms / 1000 if delayed else 0.0,
    )
