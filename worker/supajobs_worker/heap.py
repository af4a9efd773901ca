"""Keep what start-up loaded out of every later garbage collection."""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect once, then move every object alive now (modules, the handler registry, pydantic
    schemas, the app) to the permanent generation. The cyclic collector otherwise rescans
    them on each full collection, which a worker running thousands of jobs a second triggers
    often (docs/decisions.md, "Frozen start-up heap"). Objects freed later by reference
    counting still go; only cycles among these never do, and start-up leaves none (the
    collect). Returns how many objects are frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
